/**
 * kindling quickstart: train a little, checkpoint mid-epoch, "crash", rebuild everything from the file, finish — and
 * check that the resumed run ends bit-for-bit where an uninterrupted run ends. Then show what a wrong-shaped state does.
 *
 * Until the trainer and the tfjs-backed flagship example exist, this wires the components by hand; everything it
 * uses (generated state code, checkpoint files, validation) is the real library.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateError } from 'kindling';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint, serializeCheckpoint, type StateTree, verifyCheckpoint } from 'kindling/checkpoint';
import { EarlyStopping } from './components/early-stopping.js';
import { StepCounter } from './components/step-counter.js';
import { WeightAverager } from './components/weight-averager.js';
import { LinearModel } from './quickstart/linear-model.js';
import { SeededRandom } from './quickstart/seeded-random.js';

const INPUTS = 3;
const STEPS_PER_EPOCH = 20;
const TOTAL_STEPS = 60;
const CRASH_AT = 30; // mid-epoch: the checkpoint is taken half-way through the second epoch
const TRUE_WEIGHTS = [3, -2, 0.5];
const TRUE_BIAS = 1;

/** Everything a run carries from step to step. */
interface Run {
  model: LinearModel;
  rng: SeededRandom;
  counter: StepCounter;
  averager: WeightAverager;
  earlyStopping: EarlyStopping;
}

function newRun(): Run {
  return {
    model: new LinearModel(INPUTS),
    rng: new SeededRandom(2026),
    counter: new StepCounter(),
    averager: new WeightAverager(INPUTS, 0.9),
    earlyStopping: new EarlyStopping({ mode: 'min', patience: 3 }),
  };
}

/** A simulated clock, so that timestamps in the state are the same in every run. */
const clock = (step: number) => new Date(Date.UTC(2026, 10, 28) + step * 1000);

function batchOf(rng: SeededRandom, size: number) {
  return Array.from({ length: size }, () => {
    const x = Float32Array.from({ length: INPUTS }, () => rng.next() * 2 - 1);
    const noise = (rng.next() - 0.5) * 0.01;
    const y = TRUE_WEIGHTS.reduce((s, w, i) => s + w * x[i]!, TRUE_BIAS) + noise;
    return { x, y };
  });
}

/** Trains until the counter reaches `untilStep`; returns the last loss. */
function train(run: Run, untilStep: number): number {
  let loss = Number.NaN;
  while (run.counter.step < untilStep) {
    const step = run.counter.step;
    run.counter.start('train');
    loss = run.model.step(batchOf(run.rng, 8), 0.1);
    run.averager.update(run.model.weight.data, clock(step));
    run.counter.complete('train', clock(step));
    if ((step + 1) % 10 === 0) run.earlyStopping.check(loss, step);
    if ((step + 1) % STEPS_PER_EPOCH === 0) run.counter.nextEpoch();
  }
  return loss;
}

function stateOf(run: Run): StateTree {
  return {
    model: run.model.stateDict(),
    rng: run.rng.stateDict(),
    counter: run.counter.stateDict(),
    averager: run.averager.stateDict(),
    earlyStopping: run.earlyStopping.stateDict(),
  };
}

function loadInto(run: Run, tree: StateTree): void {
  const section = (key: keyof Run) => tree[key] as never;
  run.model.loadStateDict(section('model'));
  run.rng.loadStateDict(section('rng'));
  run.counter.loadStateDict(section('counter'));
  run.averager.loadStateDict(section('averager'));
  run.earlyStopping.loadStateDict(section('earlyStopping'));
}

/** The exact bytes a state serialises to: equal bytes mean a bit-for-bit equal state. */
function bytesOf(tree: StateTree): Buffer {
  return Buffer.concat(serializeCheckpoint(tree).map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-quickstart-'));
  const file = join(dir, 'last.ckpt');
  try {
    // 1. The reference: one uninterrupted run.
    const reference = newRun();
    const referenceLoss = train(reference, TOTAL_STEPS);

    // 2. The same run, checkpointed mid-epoch and then lost.
    const first = newRun();
    train(first, CRASH_AT);
    await saveCheckpoint(file, stateOf(first));
    const info = await readCheckpointInfo(file);
    console.log(`saved ${file}`);
    console.log(
      `  format v${info.formatVersion}, ${info.fileBytes} bytes, sections: ${info.sections.join(', ')}; ` +
        `tensors: ${info.tensors.map((t) => `${t.name} ${t.dtype}[${t.shape.join(',')}]`).join(', ')}`,
    );

    // 3. A new process would start here: fresh objects, everything restored from the file.
    await verifyCheckpoint(file);
    const resumed = newRun();
    loadInto(resumed, await loadCheckpoint(file));
    console.log(`resumed at step ${resumed.counter.step} (epoch ${resumed.counter.epoch}), checksums verified`);
    const resumedLoss = train(resumed, TOTAL_STEPS);

    const same = bytesOf(stateOf(reference)).equals(bytesOf(stateOf(resumed)));
    console.log(`final loss: uninterrupted ${referenceLoss.toExponential(6)}, resumed ${resumedLoss.toExponential(6)}`);
    console.log(`learned weight ${Array.from(resumed.model.weight.data, (w) => w.toFixed(3)).join(', ')}, bias ${resumed.model.bias.data[0]!.toFixed(3)}`);
    console.log(`resumed state is bit-for-bit the uninterrupted one: ${same ? 'yes' : 'NO'}`);
    if (!same) process.exitCode = 1;

    // 4. A wrong-shaped state is refused before anything changes.
    const before = resumed.earlyStopping.stateDict();
    try {
      resumed.earlyStopping.loadStateDict({ ...before, mode: 'sideways', bestScore: 'low' } as never);
      console.log('a wrong-shaped state was accepted: this is a bug');
      process.exitCode = 1;
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      const unchanged = JSON.stringify(resumed.earlyStopping.stateDict()) === JSON.stringify(before);
      console.log(`a wrong-shaped state is refused:\n  ${e.message.replaceAll('\n', '\n  ')}\n  early stopping unchanged: ${unchanged ? 'yes' : 'NO'}`);
      if (!unchanged) process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
