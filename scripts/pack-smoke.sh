#!/usr/bin/env bash
# Packs kindling as a user would get it (npm pack runs the build through prepack), installs the tarball into a fresh
# ESM project, and checks that the package imports without codegen's dependencies (optional peers: the installed size
# is printed), a decorated class round-trips its state, the CLI starts, `npx kindling codegen` says what to install
# and refuses a tsconfig without the decorator settings, and then generates typed state code in a project extending
# `kindling/tsconfig.base.json` which compiles (TypeScript 6 and 7) and runs, including a subclass of kindling's
# `Callback` (a @stateful class shipped in the tarball). Exits non-zero, saying which step failed, on any failure.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kindling-pack-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "pack-smoke: FAILED: $1" >&2
  if [[ -n "${2:-}" && -f "$2" ]]; then
    echo "---- output ----" >&2
    tail -n 60 "$2" >&2
  fi
  exit 1
}

step() { echo "pack-smoke: $1"; }

step "packing (npm pack, which builds through prepack)"
(cd "$repo" && npm pack --pack-destination "$work" >"$work/pack.log" 2>&1) || fail "npm pack / npm run build" "$work/pack.log"
tarballs=("$work"/*.tgz)
[[ -f "${tarballs[0]}" ]] || fail "npm pack produced no tarball" "$work/pack.log"
tarball="${tarballs[0]}"
step "packed $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"

app="$work/app"
mkdir "$app"
cd "$app" || fail "cannot enter $app"
npm init -y >/dev/null 2>&1 || fail "npm init"
npm pkg set type=module || fail "npm pkg set type=module"

step "installing the tarball into a fresh project"
npm install --no-audit --no-fund "$tarball" >"$work/install.log" 2>&1 || fail "npm install of the tarball" "$work/install.log"
[[ ! -e node_modules/ts-morph && ! -e node_modules/diff && ! -e node_modules/chokidar ]] \
  || fail "codegen's optional peer dependencies were installed with kindling"
step "installed size without codegen's peers: $(du -sh node_modules | cut -f1) (du -sh node_modules)"

step "importing kindling from plain ESM and round-tripping a @stateful class"
cat >smoke.mjs <<'JS'
import assert from 'node:assert/strict';
import { isStateful, loadStateDictInto, persist, stateful, StateError, tensor, tensorEquals } from 'kindling';

// Plain JavaScript has no decorator syntax: apply the decorators by hand, as TypeScript's output does.
class Counter {
  count = 0;
  history = [];
  weights = tensor('float32', [2], [1, 2]);
  started = new Date(0);
  steps = new Map();
}
for (const field of ['count', 'history', 'weights', 'started', 'steps']) persist()(Counter.prototype, field);
persist({ name: 'best', legacyNames: ['best_score'] })(Counter.prototype, 'bestScore');
stateful()(Counter);

const source = new Counter();
source.count = 3;
source.history = [0.5, Number.NaN, -0];
source.weights = tensor('float32', [2], [3, 4]);
source.started = new Date(1234);
source.steps = new Map([['train', 7]]);
source.bestScore = 0.25;
assert.ok(isStateful(source), 'a @stateful instance has stateDict/loadStateDict');

const state = source.stateDict();
assert.deepEqual(Object.keys(state), ['count', 'history', 'weights', 'started', 'steps', 'best']);
assert.equal(state.started, 1234);
assert.deepEqual(state.steps, [['train', 7]]);

const target = new Counter();
const weights = target.weights;
const result = target.loadStateDict(state);
assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
assert.equal(target.count, 3);
assert.ok(Object.is(target.history[2], -0) && Number.isNaN(target.history[1]));
assert.equal(target.weights, weights, 'a tensor of the same dtype and shape is filled in place');
assert.ok(tensorEquals(target.weights, source.weights));
assert.deepEqual(target.started, new Date(1234));
assert.deepEqual(target.steps, new Map([['train', 7]]));
assert.equal(target.bestScore, 0.25);
assert.deepEqual(target.stateDict(), state);

assert.throws(() => loadStateDictInto(target, { ...state, count: 'three' }), (error) => {
  assert.ok(error instanceof StateError);
  assert.equal(error.message, 'Counter.count: expected number, got string');
  return true;
});
assert.equal(target.count, 3, 'a failed load changes nothing');
const runtime = await import('kindling/runtime');
assert.equal(typeof runtime.defineState, 'function', 'kindling/runtime exports the generated-code runtime');
assert.equal('defineState' in (await import('kindling')), false, 'the user entry does not export the runtime');
console.log('smoke.mjs: ok');
JS
node smoke.mjs >"$work/smoke.log" 2>&1 || fail "ESM import / state round trip (smoke.mjs)" "$work/smoke.log"

step "require('kindling') from CommonJS (no top-level await), checksumming synchronously right after loading"
cat >smoke.cjs <<'JS'
const assert = require('node:assert/strict');
const { tensor } = require('kindling');
const { deserializeCheckpoint, serializeCheckpoint } = require('kindling/checkpoint');
// In the same synchronous turn as the require: the XXH64 module must already be usable.
const bytes = Buffer.concat(serializeCheckpoint({ w: tensor('float32', [2], [1, 2]) }));
assert.match(bytes.toString('latin1'), /"kindling\.xxh64\.tensors":"\[\\"[0-9a-f]{16}\\"\]"/);
assert.deepEqual(Array.from(deserializeCheckpoint(new Uint8Array(bytes)).w.data), [1, 2]);
console.log('smoke.cjs: ok');
JS
node smoke.cjs >"$work/smoke-cjs.log" 2>&1 || fail "CommonJS require / in-memory checkpoint (smoke.cjs)" "$work/smoke-cjs.log"

step "running npx kindling --help"
npx --no-install kindling --help >"$work/help.log" 2>&1 || fail "npx kindling --help" "$work/help.log"
grep -qi "usage" "$work/help.log" || fail "npx kindling --help printed no usage" "$work/help.log"

mkdir -p src
step "npx kindling codegen without its optional peers says what to install"
npx --no-install kindling codegen >"$work/nopeers.log" 2>&1
[[ $? -eq 2 ]] || fail "kindling codegen without ts-morph should exit 2" "$work/nopeers.log"
grep -q "ts-morph is not installed.*npm install --save-dev ts-morph@28.0.0 diff@9.0.0 chokidar@5.0.0" "$work/nopeers.log" \
  || fail "kindling codegen without ts-morph printed no install line" "$work/nopeers.log"
npx --no-install kindling inspect --help >"$work/inspect-help.log" 2>&1 || fail "kindling inspect needs codegen's peers" "$work/inspect-help.log"

step "installing codegen's peers as devDependencies"
npm install --no-audit --no-fund --save-dev ts-morph@28.0.0 diff@9.0.0 chokidar@5.0.0 >"$work/peers.log" 2>&1 \
  || fail "npm install of codegen's peers" "$work/peers.log"
step "installed size with codegen's peers: $(du -sh node_modules | cut -f1)"

step "npx kindling codegen in a consumer extending kindling/tsconfig.base.json, then compile (TypeScript 6.0 and 7.0) and run"
cat >tsconfig.json <<'JSON'
{
  "extends": "kindling/tsconfig.base.json",
  "compilerOptions": {
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "rootDir": "src",
    "outDir": "dist"
  },
  "include": ["src"]
}
JSON
cat >src/early-stopping.ts <<'TS'
import { persist, stateful } from 'kindling';
import { EarlyStoppingState } from './early-stopping.state.generated.js';

@stateful(EarlyStoppingState)
export class EarlyStopping {
  @persist() mode: 'min' | 'max' = 'min';
  @persist({ legacyNames: ['best_score'] }) bestScore: number | null = null;
  @persist() private wait = 0;

  check(value: number): void {
    if (this.bestScore === null || (this.mode === 'min' ? value < this.bestScore : value > this.bestScore)) {
      this.bestScore = value;
      this.wait = 0;
    } else {
      this.wait += 1;
    }
  }
}
TS
cat >src/counting.ts <<'TS'
import { Callback, persist, stateful, type StateIdentity } from 'kindling';
import { CountingState, CallbacksState } from './counting.state.generated.js';

/** A subclass of kindling's Callback, a @stateful class that comes compiled in the tarball. */
@stateful(CountingState)
export class Counting extends Callback {
  @persist() count: number = 0;
  @persist({ legacyNames: ['last'] }) lastLoss: number | null = null;
  constructor(private readonly monitor = 'val_loss') {
    super();
  }
  protected override stateIdentity(): StateIdentity {
    return { monitor: this.monitor };
  }
}

/** Callbacks of any class, each saved and loaded by its own generated code. */
@stateful(CallbacksState)
export class Callbacks {
  @persist() all: Callback[] = [];
}
TS
cat >src/curriculum.ts <<'TS'
import { ArrayDataset, DataLoader, DataModule, persist, stateful } from 'kindling';
import { CurriculumState } from './curriculum.state.generated.js';

/** A subclass of kindling's DataModule: its own state plus the positions of the loaders it made. */
@stateful(CurriculumState)
export class Curriculum extends DataModule {
  @persist() stage: number = 0;
  override trainDataloader(): DataLoader<number, number[]> {
    const dataset = new ArrayDataset(Array.from({ length: 10 }, (_, i) => i));
    return new DataLoader(dataset, { batchSize: 3, shuffle: true, collate: (samples) => [...samples] });
  }
}
TS
cat >src/main.ts <<'TS'
import { seedEverything, StateError } from 'kindling';
import { Callbacks, Counting } from './counting.js';
import { Curriculum } from './curriculum.js';
import type { CurriculumState } from './curriculum.state.generated.js';
import { EarlyStopping } from './early-stopping.js';
import type { EarlyStoppingState } from './early-stopping.state.generated.js';

const counting = new Counting();
counting.count = 3;
counting.lastLoss = 0.5;
if (counting.stateKey !== 'Counting{"monitor":"val_loss"}') throw new Error(`stateKey is ${counting.stateKey}`);
const holder = new Callbacks();
holder.all = [counting];
const saved = JSON.parse(JSON.stringify(holder.stateDict()));
if (JSON.stringify(saved) !== '{"all":[{"count":3,"lastLoss":0.5}]}') throw new Error(`Callback[] state is ${JSON.stringify(saved)}`);
const again = new Callbacks();
again.all = [new Counting()];
again.loadStateDict(saved);
if (JSON.stringify(again.stateDict()) !== JSON.stringify(saved)) throw new Error('the Callback subclass did not round-trip');

const a = new EarlyStopping();
a.check(0.5);
a.check(0.7);
const state: EarlyStoppingState = a.stateDict();
const b = new EarlyStopping();
b.loadStateDict({ mode: state.mode, best_score: state.bestScore, wait: state.wait } as never);
if (JSON.stringify(b.stateDict()) !== JSON.stringify(state)) throw new Error('legacy-name round trip differs');
// Never called: it only has to fail to compile.
export const wrongShape = () =>
  // @ts-expect-error a wrong shape is a compile-time error
  b.loadStateDict({ mode: 'sideways', bestScore: 1, wait: 0 });
let refused = false;
try {
  b.loadStateDict({ mode: 'sideways', bestScore: 1, wait: 0 } as never);
} catch (error) {
  refused = error instanceof StateError && error.message.startsWith('EarlyStopping.mode: expected');
}
if (!refused || JSON.stringify(b.stateDict()) !== JSON.stringify(state)) throw new Error('a bad state was not refused cleanly');

// A DataModule subclass resumes its loader mid-epoch from its state.
seedEverything(7);
const batchesOf = async (module: Curriculum, count: number): Promise<number[][]> => {
  const out: number[][] = [];
  for await (const batch of module.createDataloaders('train')['train']!) {
    out.push(batch as number[]);
    if (out.length === count) break;
  }
  return out;
};
const whole = await batchesOf(new Curriculum(), 4);
seedEverything(7);
const first = new Curriculum();
first.stage = 2;
const running = first.createDataloaders('train')['train']![Symbol.asyncIterator]();
const firstTwo = [(await running.next()).value, (await running.next()).value] as number[][];
// Taken while the epoch is running, as the trainer does after a step.
const dataState: CurriculumState = JSON.parse(JSON.stringify(first.stateDict()));
seedEverything(99);
const resumedModule = new Curriculum();
resumedModule.createDataloaders('train');
resumedModule.loadStateDict(dataState);
const rest: number[][] = [];
for await (const batch of resumedModule.dataloaders['train']!) rest.push(batch as number[]);
if (resumedModule.stage !== 2) throw new Error(`Curriculum.stage was not restored: ${resumedModule.stage}`);
if (JSON.stringify([...firstTwo, ...rest]) !== JSON.stringify(whole)) {
  throw new Error(`the DataModule's loader did not resume exactly: ${JSON.stringify({ whole, firstTwo, rest })}`);
}
console.log('consumer: ok');
TS
step "npx kindling codegen refuses a tsconfig without the decorator settings"
cat >tsconfig.plain.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "strict": true }, "include": ["src"] }
JSON
npx --no-install kindling codegen -p tsconfig.plain.json >"$work/plain.log" 2>&1
[[ $? -eq 2 ]] || fail "kindling codegen should refuse tsconfig.plain.json with exit 2" "$work/plain.log"
grep -q 'need "experimentalDecorators": true, "emitDecoratorMetadata": true, "useDefineForClassFields": false' "$work/plain.log" \
  || fail "the refusal does not say what to set" "$work/plain.log"

npx --no-install kindling codegen >"$work/codegen.log" 2>&1 || fail "npx kindling codegen in the consumer" "$work/codegen.log"
head -n 1 src/early-stopping.state.generated.ts | grep -q '^// @generated by kindling codegen from src/early-stopping.ts' \
  || fail "the generated file is missing or has no @generated header" "$work/codegen.log"
grep -q "import \* as \$rt from 'kindling/runtime';" src/early-stopping.state.generated.ts \
  || fail "the generated file does not import its runtime from 'kindling/runtime'"
grep -q "import { CallbackState } from 'kindling';" src/counting.state.generated.ts \
  || fail "the Callback subclass does not compose with CallbackState from 'kindling'" "$work/codegen.log"
grep -q "import { DataModuleState } from 'kindling';" src/curriculum.state.generated.ts \
  || fail "the DataModule subclass does not compose with DataModuleState from 'kindling'" "$work/codegen.log"
npx --no-install kindling codegen --check >"$work/check.log" 2>&1 || fail "kindling codegen --check right after generating" "$work/check.log"
node "$repo/node_modules/typescript7/bin/tsc" -p tsconfig.json --noEmit >"$work/tsc7.log" 2>&1 || fail "TypeScript 7.0 check of the consumer" "$work/tsc7.log"
node "$repo/node_modules/typescript/bin/tsc" -p tsconfig.json >"$work/tsc.log" 2>&1 || fail "TypeScript 6.0 build of the consumer" "$work/tsc.log"
node dist/main.js >"$work/consumer.log" 2>&1 || fail "running the compiled consumer" "$work/consumer.log"
grep -q "consumer: ok" "$work/consumer.log" || fail "the consumer printed no ok" "$work/consumer.log"

step "OK"
