/**
 * Subclasses of @stateful classes that come from a genuinely compiled library. In a temporary directory: kindling is
 * installed compiled (node_modules/kindling), a library `meters` built with kindling codegen and tsc ships `.js` and
 * `.d.ts` (its own `Ema extends Callback`), and an application extends the library's class and kindling's `Callback`
 * over several levels. The application is generated, compiled with TypeScript 6 (checked with 7 too) and run under
 * plain node, where the library classes' fields are saved and loaded by the library's generated code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../codegen/index.js';
import { installCompiledKindling, TSC6, TSC7, tsc } from '../support/compiled-kindling.js';

let dir: string;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function codegen(project: string): Promise<string[]> {
  const result = await generate({ tsconfig: path.join(project, 'tsconfig.json') });
  for (const f of result.files) write(f.path, f.text);
  return result.diagnostics.map((d) => `${path.relative(project, d.file)}:${d.line} ${d.code} ${d.message}`);
}

const TSCONFIG = JSON.stringify({
  extends: 'kindling/tsconfig.base.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', declaration: true, types: [], exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true },
  include: ['src'],
});

const LIBRARY = {
  'package.json': JSON.stringify({ name: 'meters', type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
  'tsconfig.json': TSCONFIG,
  'src/ema.ts': `import { Callback, persist, stateful, type StateIdentity } from 'kindling';
import { EmaState } from './ema.state.generated.js';

/** An exponential moving average of a metric: a callback with state, shipped compiled. */
@stateful(EmaState)
export class Ema extends Callback {
  @persist() private value: number | null = null;
  @persist() steps: number = 0;
  constructor(private readonly decay = 0.9) {
    super();
  }
  update(x: number): number {
    this.value = this.value === null ? x : this.decay * this.value + (1 - this.decay) * x;
    this.steps += 1;
    return this.value;
  }
  get current(): number | null {
    return this.value;
  }
  protected override stateIdentity(): StateIdentity {
    return { decay: this.decay };
  }
}
`,
  'src/index.ts': `export { Ema } from './ema.js';\nexport { EmaState } from './ema.state.generated.js';\n`,
};

const APP = {
  'package.json': JSON.stringify({ name: 'app', type: 'module' }),
  'tsconfig.json': TSCONFIG,
  'src/tuned.ts': `import { Callback, persist, stateful } from 'kindling';
import { Ema } from 'meters';
import { CountingState, ScaledEmaState, TunedEmaState } from './tuned.state.generated.js';

@stateful(TunedEmaState)
export class TunedEma extends Ema {
  @persist() bias = 0;
}

/** user class → user class → library class → kindling's Callback */
@stateful(ScaledEmaState)
export class ScaledEma extends TunedEma {
  @persist() scale: number = 1;
}

@stateful(CountingState)
export class Counting extends Callback {
  @persist() count: number = 0;
  @persist({ legacyNames: ['last'] }) lastKey: string | null = null;
}
`,
  'src/main.ts': `import { StateError, type Callback } from 'kindling';
import { Ema } from 'meters';
import { Counting, ScaledEma, TunedEma } from './tuned.js';
import type { ScaledEmaState } from './tuned.state.generated.js';

const source = new ScaledEma(0.5);
source.update(2);
source.update(4);
source.bias = 0.25;
source.scale = 3;
const state: ScaledEmaState = source.stateDict();

const target = new ScaledEma(0.5);
target.loadStateDict(JSON.parse(JSON.stringify(state)));
const counting = new Counting();
counting.count = 7;
const callbacks: Callback[] = [new Ema(0.8), new TunedEma(0.8), counting];
(callbacks[0] as Ema).update(5);
const saved = callbacks.map((c) => [c.stateKey, c.stateDict()]);
const fresh = [new Ema(0.8), new TunedEma(0.8), new Counting()];
fresh.forEach((c, i) => c.loadStateDict(saved[i]![1] as never));

let refused = '';
try {
  target.loadStateDict({ ...state, steps: 'many' } as never);
} catch (error) {
  refused = error instanceof StateError ? error.message : String(error);
}
console.log(JSON.stringify({
  state,
  loaded: target.stateDict(),
  current: target.current,
  saved,
  reloaded: fresh.map((c) => c.stateDict()),
  refused,
  unchanged: target.stateDict().steps,
}));
`,
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kindling-library-base-'));
  installCompiledKindling(dir);
  const lib = path.join(dir, 'packages', 'meters');
  for (const [file, text] of Object.entries(LIBRARY)) write(path.join(lib, file), text);
  expect(await codegen(lib)).toEqual([]);
  tsc(TSC6, ['-p', 'tsconfig.json'], lib);
  symlinkSync(lib, path.join(dir, 'node_modules', 'meters'), 'dir');
  const app = path.join(dir, 'app');
  for (const [file, text] of Object.entries(APP)) write(path.join(app, file), text);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('subclasses of a compiled library\'s @stateful classes', () => {
  let output: {
    state: Record<string, unknown>;
    loaded: Record<string, unknown>;
    current: number;
    saved: [string, Record<string, unknown>][];
    reloaded: Record<string, unknown>[];
    refused: string;
    unchanged: number;
  };

  it('generate without diagnostics, compile on TypeScript 6 and 7, and run under node', async () => {
    const app = path.join(dir, 'app');
    expect(await codegen(app)).toEqual([]);
    tsc(TSC7, ['-p', 'tsconfig.json', '--noEmit'], app);
    tsc(TSC6, ['-p', 'tsconfig.json'], app);
    const run = spawnSync(process.execPath, ['dist/main.js'], { cwd: app, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    output = JSON.parse(run.stdout);
  });

  it('save the library class\'s fields (private ones included) before their own, at every level', () => {
    expect(output.state).toEqual({ value: 3, steps: 2, bias: 0.25, scale: 3 });
  });

  it('load the library class\'s fields through its generated code', () => {
    expect(output.loaded).toEqual(output.state);
    expect(output.current).toBe(3);
  });

  it('hold library and own subclasses as Callback[] and key them by stateKey', () => {
    expect(output.saved).toEqual([
      ['Ema{"decay":0.8}', { value: 5, steps: 1 }],
      ['TunedEma{"decay":0.8}', { value: null, steps: 0, bias: 0 }],
      ['Counting', { count: 7, lastKey: null }],
    ]);
    expect(output.reloaded).toEqual(output.saved.map(([, s]) => s));
  });

  it('validate the library class\'s fields with its own codecs, changing nothing on error', () => {
    expect(output.refused).toBe('ScaledEma.steps: expected number, got string');
    expect(output.unchanged).toBe(2);
  });
});
