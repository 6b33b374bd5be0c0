/**
 * The second kindling example: a user component with nested state, saved by one release and loaded by the next.
 *
 *   1. Release 1 of `HardExampleMiner` (release-1/) trains two epochs and writes `epoch-2.ckpt`.
 *   2. The current release loads that file, although the field `focus` is now `hardFraction` (`legacyNames`) and
 *      `notes` did not exist yet (`optional`), trains two more epochs and writes `epoch-4.ckpt`.
 *   3. `kindling inspect` shows what the new file holds, `kindling diff` what changed between the two.
 *   4. A state that does not fit (a miner for a larger dataset) is refused, naming the nested field, and nothing
 *      changes.
 *
 * Run it with `npx tsx examples/nested-state/main.ts [directory]` (default: a temporary directory, removed at the end).
 * The "training" is simulated (each sample has a fixed difficulty; its loss falls each time it is seen) so that the
 * example needs no model: the point is the component's state.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, StateError } from 'kindling';
import { loadCheckpoint, saveCheckpoint } from 'kindling/checkpoint';
import { HardExampleMiner } from './hard-example-miner.js';
import type { HardExampleMinerState } from './hard-example-miner.state.generated.js';
import { describeMinerState } from './read-state.js';
import { HardExampleMiner as Release1Miner } from './release-1/hard-example-miner.js';

const SAMPLES = 48;
const BATCH = 12;
const BATCHES_PER_EPOCH = 4;
const SEED = 7;

/** The simulated task: sample i has a fixed difficulty, and its loss shrinks each time it is trained on. */
const difficulty = new Generator(2026).fillUniform(new Float32Array(SAMPLES), 0.1, 2);
const timesTrained = new Int32Array(SAMPLES);
function lossesOf(indices: readonly number[]): number[] {
  return indices.map((i) => {
    const loss = difficulty[i]! * Math.exp(-0.4 * timesTrained[i]!);
    timesTrained[i]! += 1;
    return Math.fround(loss);
  });
}

function trainEpochs(miner: HardExampleMiner | Release1Miner, epochs: number): void {
  for (let e = 0; e < epochs; e++) {
    for (let b = 0; b < BATCHES_PER_EPOCH; b++) {
      const batch = miner.nextBatch(BATCH);
      miner.record(batch, lossesOf(batch));
    }
    miner.endEpoch();
  }
}

/** `kindling <args>` as a user runs it (`npx kindling`); inside this repository, from the source. */
function kindling(args: string[]): { status: number | null; output: string } {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const source = join(root, 'src/cli/bin.ts');
  const command = existsSync(source)
    ? [join(root, 'node_modules/tsx/dist/cli.mjs'), source]
    : [join(root, 'node_modules/kindling/dist/src/cli/bin.js')];
  const run = spawnSync(process.execPath, [...command, ...args], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trimEnd() };
}

function show(args: string[], dir: string): void {
  const shown = args.map((a) => (a.startsWith(dir) ? relative(dir, a) : a));
  const { status, output } = kindling(args);
  console.log(`\n$ npx kindling ${shown.join(' ')}    # exit ${status}`);
  console.log(output.replaceAll(`${dir}/`, ''));
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const dir = given ?? mkdtempSync(join(tmpdir(), 'kindling-nested-state-'));
  mkdirSync(dir, { recursive: true });
  const first = join(dir, 'epoch-2.ckpt');
  const second = join(dir, 'epoch-4.ckpt');
  try {
    // 1. Release 1 trains and saves.
    const old = new Release1Miner(SAMPLES, { focus: 0.5, seed: SEED });
    trainEpochs(old, 2);
    await saveCheckpoint(first, { miner: old.stateDict() });
    console.log(`release 1 wrote epoch-2.ckpt (its miner calls the hard share "focus": ${old.focus})`);

    // 2. The current release loads release 1's file. The file's section is only known to be a state tree; the
    //    generated load validates it in full before assigning anything, so the cast is checked at run time.
    const miner = new HardExampleMiner(SAMPLES, { seed: SEED });
    const tree = await loadCheckpoint(first);
    const result = miner.loadStateDict(tree['miner'] as HardExampleMinerState);
    console.log(`the current release loaded it: hardFraction = ${miner.hardFraction} (from "focus", a legacy name), ` +
      `missing keys: ${result.missingKeys.join(', ') || 'none'}, unexpected keys: ${result.unexpectedKeys.join(', ') || 'none'}`);
    trainEpochs(miner, 2);
    await saveCheckpoint(second, { miner: miner.stateDict() });
    console.log(`it trained two more epochs and wrote epoch-4.ckpt: ${describeMinerState(miner.stateDict())}`);

    // 3. The command line tools on the two files.
    show(['inspect', second], dir);
    show(['diff', first, second], dir);

    // 4. A state that does not fit is refused before anything changes.
    const larger = new HardExampleMiner(2 * SAMPLES, { seed: SEED });
    const before = JSON.stringify(larger.stateDict());
    try {
      larger.loadStateDict((await loadCheckpoint(second))['miner'] as HardExampleMinerState);
      console.log('\na state for another dataset size was accepted: this is a bug');
      process.exitCode = 1;
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      const unchanged = JSON.stringify(larger.stateDict()) === before;
      console.log(`\na miner for ${2 * SAMPLES} samples refuses epoch-4.ckpt:\n  ${e.message.replaceAll('\n', '\n  ')}`);
      console.log(`  the miner is unchanged: ${unchanged ? 'yes' : 'NO'}`);
      if (!unchanged) process.exitCode = 1;
    }
  } finally {
    if (given === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
