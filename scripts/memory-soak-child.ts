/**
 * The training run the memory soak (scripts/memory-soak.ts) measures: the flagship's DigitsClassifier (AdamW, warmup +
 * cosine) on the digits DataModule, validating every epoch, with ModelCheckpoint (top-2 by val_loss, saveLast, and a
 * save every 50 steps), EarlyStopping (patient enough never to stop), EMAWeightAveraging, LearningRateMonitor and a
 * CSVLogger logging every step, for `--steps` optimizer steps under `<dir>`.
 *
 *   node --expose-gc --import tsx scripts/memory-soak-child.ts <dir> [--steps 1000] [--every 100] [--backend wasm|cpu]
 *     [--snapshot-at 200,1000]
 *
 * Every `--every` optimizer steps (and once before training) it collects garbage (when `--expose-gc` is given) and
 * prints one line: `sample {"step":…,"rss":…,"heapUsed":…,"external":…,"arrayBuffers":…,"codeSpace":…,"numTensors":…,"numBytes":…}`,
 * then `done <step>` at the end. At each step of `--snapshot-at` (after its sample) it writes a V8 heap snapshot to
 * `<dir>/step-<N>.heapsnapshot` and prints `snapshot <N> <file>`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  Callback,
  CSVLogger,
  EarlyStopping,
  EMAWeightAveraging,
  initEngine,
  LearningRateMonitor,
  ModelCheckpoint,
  Trainer,
  type TrainerView,
} from 'kindling';
import { join } from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { DigitsDataModule } from '../examples/data/digits-data-module.js';
import { DigitsClassifier } from '../examples/digits-classifier/classifier.js';
import { countOption, stringOption } from './cli-args.js';

export interface MemorySample {
  readonly step: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  /** Compiled code in the heap (part of heapUsed): it grows while the JIT optimizes more functions, then settles. */
  readonly codeSpace: number;
  readonly numTensors: number;
  readonly numBytes: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function sample(step: number): MemorySample {
  // Collected first, so heapUsed is the live heap rather than wherever the collector happened to be.
  gc?.();
  const m = process.memoryUsage();
  const t = tf.memory();
  const codeSpace = getHeapSpaceStatistics()
    .filter((s) => s.space_name.startsWith('code'))
    .reduce((sum, s) => sum + s.space_used_size, 0);
  return { step, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, codeSpace, numTensors: t.numTensors, numBytes: t.numBytes };
}

/** Prints a sample every `every` optimizer steps, after the batch's work (and its checkpoint writes) is done. */
class Sampler extends Callback {
  private last = -1;

  constructor(
    private readonly every: number,
    private readonly dir: string,
    private readonly snapshotAt: readonly number[],
  ) {
    super();
  }

  override async onTrainBatchEnd(trainer: TrainerView): Promise<void> {
    const step = trainer.globalStep;
    if (step === this.last || step % this.every !== 0) return;
    this.last = step;
    // Let this batch's pending checkpoint writes finish (a hook's promise is awaited at the end of the batch) so that
    // their buffers are not counted as live.
    await new Promise((resolve) => setImmediate(resolve));
    console.log(`sample ${JSON.stringify(sample(step))}`);
    if (this.snapshotAt.includes(step)) console.log(`snapshot ${step} ${writeHeapSnapshot(join(this.dir, `step-${step}.heapsnapshot`))}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (dir === undefined || dir.startsWith('--')) throw new Error('usage: memory-soak-child.ts <dir> [--steps N] [--every K] [--backend wasm|cpu]');
  const steps = countOption(args, 'steps', 1000);
  const every = countOption(args, 'every', 100);
  const backend = stringOption(args, 'backend', 'wasm');
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${backend}`);
  const snapshotAt = stringOption(args, 'snapshot-at', '').split(',').filter((s) => s !== '').map(Number);
  await initEngine({ backend });

  const ema = new EMAWeightAveraging({ decay: 0.99 });
  const trainer = new Trainer({
    maxSteps: steps,
    // 26 batches an epoch: maxSteps is what ends the run.
    maxEpochs: Math.ceil(steps / 26) + 1,
    seed: 2026,
    defaultRootDir: dir,
    callbacks: [
      new Sampler(every, dir, snapshotAt),
      new EarlyStopping({ monitor: 'val_loss', mode: 'min', patience: 1_000_000 }),
      new LearningRateMonitor(),
      ema,
      new ModelCheckpoint({ dirpath: join(dir, 'checkpoints'), monitor: 'val_loss', saveTopK: 2, saveLast: true }),
      new ModelCheckpoint({ dirpath: join(dir, 'steps'), everyNTrainSteps: 50, saveTopK: 1, filename: 'step' }),
    ],
    logger: new CSVLogger({ saveDir: dir }),
    logEveryNSteps: 1,
    numSanityValSteps: 0,
    enableProgressBar: false,
  });
  const model = new DigitsClassifier({ warmupSteps: 26, totalSteps: steps });
  console.log(`sample ${JSON.stringify(sample(0))}`);
  await trainer.fit(model, { datamodule: new DigitsDataModule({ batchSize: 64, valFraction: 0.1, seed: 0 }) });
  ema.dispose();
  console.log(`done ${trainer.globalStep}`);
}

await main();
