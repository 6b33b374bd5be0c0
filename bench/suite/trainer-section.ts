/**
 * Item 8 of the suite: the Trainer's overhead, on the wasm backend, with the flagship's model
 * (examples/digits-classifier/classifier.ts: the DigitsClassifier, 64-64-10 with dropout, AdamW under LinearLR warmup
 * then cosine annealing, stepped every optimizer step) on the flagship's training split (DigitsDataModule: 1,618
 * digits, batch 64, shuffled). `trainer.fit` runs against a plain loop doing the same math (the same loader, model
 * class, optimizer and scheduler from the model's own configureOptimizers: valueAndGrads, optimizer.step and
 * scheduler.step per batch, no callbacks, no logging), then with the default callbacks and the progress bar on, then
 * with a checkpoint every N steps, sync and async. All variants run interleaved, in rotating order, for the same
 * number of epochs; figures are per-round ratios of the time per step.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { DigitsDataModule } from '../../examples/data/digits-data-module.js';
import { DigitsClassifier } from '../../examples/digits-classifier/classifier.js';
import { initEngine, ModelCheckpoint, ProgressBar } from '../../src/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { plainTrainingLoop } from '../helpers/plain-loop.js';
import { rotate } from '../helpers/stats.js';
import type { Row } from './rows.js';
import { Samples } from './samples.js';
import { dirtyKb } from './writeback.js';

/** The flagship's batch size and split (examples/digits-classifier/train.ts). */
const BATCH_SIZE = 64;
const VAL_FRACTION = 0.1;

/** The optimizer and the per-step LR scheduler of the flagship's configureOptimizers(), checked to be just that. */

export interface TrainerOptions {
  readonly rounds: number;
  readonly epochs: number;
  readonly checkpointEvery: number;
  readonly log: (line: string) => void;
}

/** A stream that swallows the progress bar's output: its cost is the formatting and writing, not the terminal. */
function nullStream(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

export async function runTrainerSection(options: TrainerOptions): Promise<Row[]> {
  await initEngine({ backend: 'wasm' });
  const data = new DigitsDataModule({ batchSize: BATCH_SIZE, valFraction: VAL_FRACTION, seed: 0 });
  await data.setup('fit');
  const loader = data.trainDataloader();
  const stepsPerRun = options.epochs * loader.length;
  // As the flagship builds it, with the schedule spanning this run's steps (one epoch of warmup at most).
  const newModel = (): DigitsClassifier => new DigitsClassifier({ warmupSteps: Math.min(loader.length, stepsPerRun - 1), totalSteps: stepsPerRun });
  const root = mkdtempSync(join(tmpdir(), 'kindling-bench-trainer-'));
  // ModelCheckpoint does not create its directory (yet): make them here.
  for (const sub of ['default', 'sync', 'async']) mkdirSync(join(root, sub));
  const samples = new Samples();
  const before = () => ({ dirtyKb: dirtyKb(), waitedSeconds: 0, timedOut: false, loadAverage: loadavg()[0] ?? Number.NaN });

  const plain = async (): Promise<void> => {
    const steps = await plainTrainingLoop(newModel().train(), loader as Parameters<typeof plainTrainingLoop>[1], options.epochs);
    if (steps !== stepsPerRun) throw new Error(`plain loop ran ${steps} steps, expected ${stepsPerRun}`);
  };
  const fit = (callbacks: () => ConstructorParameters<typeof Trainer>[0]) => async (): Promise<void> => {
    const trainer = new Trainer({ maxEpochs: options.epochs, logger: false, numSanityValSteps: 0, defaultRootDir: root, ...callbacks() });
    await trainer.fit(newModel(), { trainDataloaders: loader });
    if (trainer.globalStep !== stepsPerRun) throw new Error(`fit ran ${trainer.globalStep} steps, expected ${stepsPerRun}`);
  };
  const checkpoint = (asyncSave: boolean) => () => ({
    callbacks: [new ModelCheckpoint({ dirpath: join(root, asyncSave ? 'async' : 'sync'), everyNTrainSteps: options.checkpointEvery, saveTopK: -1, asyncSave })],
    enableProgressBar: false, // else the trainer adds its default bar, on stderr
  });
  const variants: [string, () => Promise<void>][] = [
    ['plain loop', plain],
    ['fit, no callbacks', fit(() => ({ callbacks: [], enableCheckpointing: false, enableProgressBar: false }))],
    ['fit, default callbacks + progress bar', fit(() => ({ callbacks: [new ModelCheckpoint({ dirpath: join(root, 'default') }), new ProgressBar({ stream: nullStream() as never })] }))],
    [`fit, checkpoint every ${options.checkpointEvery} steps (sync)`, fit(checkpoint(false))],
    [`fit, checkpoint every ${options.checkpointEvery} steps (async)`, fit(checkpoint(true))],
  ];
  // A save that failed after fit() resolved would surface here; counted in the note instead of ending the suite.
  const lateFailures: string[] = [];
  const onLate = (reason: unknown): void => void lateFailures.push(String((reason as Error)?.message ?? reason));
  process.on('unhandledRejection', onLate);
  try {
    for (const [, run] of variants) await run(); // warm-up: kernels, wasm, first allocations
    for (let round = 0; round < options.rounds; round++) {
      for (const [label, run] of rotate(variants, round)) {
        const b = before();
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        await run();
        const seconds = (performance.now() - start) / 1000;
        const cpu = process.cpuUsage(cpuStart);
        samples.add({ label, round, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, sysSeconds: cpu.system / 1e6, before: b });
        options.log(`  round ${round} ${label.padEnd(44)} ${((seconds / stepsPerRun) * 1000).toFixed(2)} ms/step  load ${b.loadAverage.toFixed(1)}`);
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
    process.off('unhandledRejection', onLate);
  }
  // The trainer waits for async hooks at the end of each batch (src/trainer/hooks.ts), so a sync save blocks the loop.
  const failures = lateFailures.length ? `; ${lateFailures.length} save(s) failed after fit() resolved` : '';
  const ms = (label: string): string => `${(((samples.seconds(label)?.median ?? Number.NaN) / stepsPerRun) * 1000).toFixed(2)} ms/step`;
  const vs = (a: string, b: string): string => `${a} ${ms(a)} vs ${b} ${ms(b)} (medians; ${stepsPerRun} steps per run)`;
  const overhead = (a: string, b: string): Row['figure'] => {
    const r = samples.ratio(a, b);
    return r && { ...r, median: r.median - 1, min: r.min - 1, max: r.max - 1 };
  };
  const [, bare, withCallbacks, sync, async_] = variants.map(([l]) => l) as [string, string, string, string, string];
  return [
    { item: '8', what: 'trainer.fit (no callbacks) ÷ plain loop, time per step, flagship DigitsClassifier, wasm', unit: '×', figure: samples.ratio(bare, 'plain loop'), target: { op: '≤', value: 1.03 }, note: vs(bare, 'plain loop') },
    { item: '8', what: 'trainer.fit (ModelCheckpoint + progress bar) ÷ plain loop, time per step', unit: '×', figure: samples.ratio(withCallbacks, 'plain loop'), target: { op: '≤', value: 1.05 }, note: vs(withCallbacks, 'plain loop') },
    { item: '8', what: 'same, CPU time (user + system) instead of wall time: trainer.fit (no callbacks) ÷ plain loop', unit: '×', figure: samples.cpuRatio(bare, 'plain loop'), note: 'breakdown: less sensitive to other processes than the wall-time ratio' },
    { item: '8', what: 'same, CPU time: trainer.fit (ModelCheckpoint + progress bar) ÷ plain loop', unit: '×', figure: samples.cpuRatio(withCallbacks, 'plain loop'), note: 'breakdown' },
    { item: '8', what: `checkpoint every ${options.checkpointEvery} steps, sync: extra time ÷ training time`, unit: '×', figure: overhead(sync, bare), note: `${vs(sync, bare)}${failures}` },
    { item: '8', what: `checkpoint every ${options.checkpointEvery} steps, async: extra time ÷ training time`, unit: '×', figure: overhead(async_, bare), note: vs(async_, bare) },
  ];
}
