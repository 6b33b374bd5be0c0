/**
 * A breakdown, not a benchmark: where the time of item 8's 'fit, default callbacks + progress bar' over 'fit, no
 * callbacks' goes (bench/suite/trainer-section.ts, whose setup this copies). Runs the flagship fit with one component
 * at a time, interleaved in rotating order, and reports wall and CPU µs per step, the saves per run and what each
 * save costs: its synchronous part in the hook (dump + snapshot), its write (call to resolve), and the time the loop
 * waits for it (Trainer.flushSaves); then each variant's step wall time by steps since the last save's hook.
 * Every fit gets a StepClock callback (a timestamp per batch). KINDLING_TIMELINE=1 prints when each write starts
 * and ends.
 *   npx tsx bench/profile/trainer-overhead.ts [rounds] [variant,variant…]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/trainer-overhead.ts 8 none,default
 * Variants: plain, none, default, pb, mc, mc-nondurable, mc-noio, sync20, async20 (all by default).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { DigitsDataModule } from '../../examples/data/digits-data-module.js';
import { DigitsClassifier } from '../../examples/digits-classifier/classifier.js';
import { AsyncCheckpointSaver } from '../../src/checkpoint/async-saver.js';
import { LocalCheckpointIO } from '../../src/checkpoint/local-io.js';
import type { SaveOptions, StateTree } from '../../src/checkpoint/types.js';
import { initEngine, ModelCheckpoint, ProgressBar } from '../../src/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import { plainTrainingLoop } from '../helpers/plain-loop.js';
import { HookDispatcher } from '../../src/trainer/hooks.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { median, rotate } from '../helpers/stats.js';

const rounds = Number(process.argv[2] ?? 7);
const EPOCHS = 10;
const BATCH_SIZE = 64;
const VAL_FRACTION = 0.1;

// ---- instrumentation: every save's synchronous part, its write, and the loop's waits ----
interface Counters {
  saves: number;
  hookMs: number; // trainer.saveCheckpoint / writeInBackground's synchronous part (dump + snapshot)
  writeMs: number; // io.save: call to resolve (overlaps training in async mode)
  flushWaitMs: number; // time the loop spent awaiting flushSaves with writes pending
  inHooks: Record<string, number>; // ms inside each callback class's hooks (HookDispatcher.callOne)
}
const zero = (): Counters => ({ saves: 0, hookMs: 0, writeMs: 0, flushWaitMs: 0, inHooks: {} });
let counters = zero();

const proto = Trainer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origSave = proto['saveCheckpoint']!;
proto['saveCheckpoint'] = function (this: unknown, ...args: unknown[]) {
  const t = performance.now();
  const result = origSave.apply(this, args);
  counters.hookMs += performance.now() - t;
  lastSaveStep = currentStep();
  return result;
};
/**
 * Step durations by steps since the last save's hook (the hook runs after the clock's onTrainBatchEnd, so its cost
 * lands in the step after it: bucket 1); bucket 0: no save yet in this epoch run or more than 12 steps since one.
 */
let lastSaveStep = -1000;
const BUCKETS = ['1', '2-4', '5-12', 'other'] as const;
const bucketOf = (since: number): (typeof BUCKETS)[number] => (since === 1 ? '1' : since >= 2 && since <= 4 ? '2-4' : since >= 5 && since <= 12 ? '5-12' : 'other');
let stepTimes: Record<(typeof BUCKETS)[number], number[]> = { '1': [], '2-4': [], '5-12': [], other: [] };
class StepClock extends Callback {
  private last: number | undefined;
  override onTrainEpochStart(): void {
    this.last = undefined;
  }
  override onTrainBatchEnd(trainer: TrainerView): void {
    const now = performance.now();
    if (this.last !== undefined) stepTimes[bucketOf(trainer.globalStep - lastSaveStep)].push(now - this.last);
    this.last = now;
  }
}
const origFlush = proto['flushSaves']!;
proto['flushSaves'] = async function (this: { pendingSaves: unknown[] }, ...args: unknown[]) {
  if (this.pendingSaves.length === 0) return origFlush.apply(this, args);
  const t = performance.now();
  try {
    return await (origFlush.apply(this, args) as Promise<void>);
  } finally {
    counters.flushWaitMs += performance.now() - t;
  }
};
// Time inside every callback hook, by callback class.
const dispatcherProto = HookDispatcher.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origCallOne = dispatcherProto['callOne']!;
dispatcherProto['callOne'] = function (this: unknown, callback: unknown, ...rest: unknown[]) {
  const t = performance.now();
  try {
    return origCallOne.call(this, callback, ...rest);
  } finally {
    const name = (callback as object).constructor.name;
    counters.inHooks[name] = (counters.inHooks[name] ?? 0) + performance.now() - t;
  }
};
// writeInBackground: the hook's synchronous part in async mode.
const mcProto = ModelCheckpoint.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const origWib = mcProto['writeInBackground']!;
mcProto['writeInBackground'] = function (this: unknown, ...args: unknown[]) {
  const t = performance.now();
  try {
    return origWib.apply(this, args);
  } finally {
    counters.hookMs += performance.now() - t;
    lastSaveStep = currentStep();
  }
};

/** Counts and times every write (call to resolve). */
class TimedIO extends LocalCheckpointIO {
  constructor(private readonly mode: 'durable' | 'nondurable' | 'none') {
    super();
  }
  override async save(path: string, tree: StateTree, options?: SaveOptions): Promise<void> {
    counters.saves++;
    const t = performance.now();
    const step = currentStep();
    try {
      if (this.mode === 'none') return;
      await super.save(path, tree, this.mode === 'nondurable' ? { ...options, durable: false } : options);
    } finally {
      counters.writeMs += performance.now() - t;
      if (timeline) console.log(`  write started at step ${step} (${(t - fitStart).toFixed(0)} ms), done at step ${currentStep()} (${(performance.now() - fitStart).toFixed(0)} ms)`);
    }
  }
}

/** KINDLING_TIMELINE=1: print when each write starts and ends, in steps and ms since the fit started. */
const timeline = process.env['KINDLING_TIMELINE'] === '1';
let fitStart = 0;
let liveTrainer: Trainer | undefined;
const currentStep = (): number => liveTrainer?.globalStep ?? -1;

function nullStream(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

await initEngine({ backend: 'wasm' });
const data = new DigitsDataModule({ batchSize: BATCH_SIZE, valFraction: VAL_FRACTION, seed: 0 });
await data.setup('fit');
const loader = data.trainDataloader();
const stepsPerRun = EPOCHS * loader.length;
const newModel = (): DigitsClassifier => new DigitsClassifier({ warmupSteps: Math.min(loader.length, stepsPerRun - 1), totalSteps: stepsPerRun });
const root = mkdtempSync(join(tmpdir(), 'kindling-profile-trainer-'));


const plain = async (): Promise<void> => {
  await plainTrainingLoop(newModel().train(), loader as Parameters<typeof plainTrainingLoop>[1], EPOCHS);
};
type Options = ConstructorParameters<typeof Trainer>[0];
const fit = (options: () => Options) => async (): Promise<void> => {
  const given = options() ?? {};
  const trainer = new Trainer({ maxEpochs: EPOCHS, logger: false, numSanityValSteps: 0, defaultRootDir: root, ...given, callbacks: [...(given.callbacks ?? []), new StepClock()] });
  liveTrainer = trainer;
  lastSaveStep = -1000;
  fitStart = performance.now();
  await trainer.fit(newModel(), { trainDataloaders: loader });
  if (trainer.globalStep !== stepsPerRun) throw new Error(`fit ran ${trainer.globalStep} steps`);
};
const dir = (name: string): string => {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  return d;
};
const mc = (name: string, io: 'durable' | 'nondurable' | 'none', extra: ConstructorParameters<typeof ModelCheckpoint>[0] = {}): Options => {
  const timed = new TimedIO(io);
  const saver = extra.asyncSave === true ? new AsyncCheckpointSaver(timed) : undefined;
  return {
    callbacks: [new ModelCheckpoint({ dirpath: dir(name), ...extra, ...(saver ? { asyncSave: saver } : {}) })],
    enableProgressBar: false,
    checkpointIO: timed,
  };
};
const all: Record<string, () => Promise<void>> = {
  plain,
  none: fit(() => ({ callbacks: [], enableCheckpointing: false, enableProgressBar: false })),
  // As the bench: the trainer's IO, timed (a LocalCheckpointIO, so saveCheckpoint still creates the directory).
  default: fit(() => ({ ...mc('default', 'durable'), callbacks: [new ModelCheckpoint({ dirpath: dir('default') }), new ProgressBar({ stream: nullStream() as never })], enableProgressBar: true })),
  pb: fit(() => ({ callbacks: [new ProgressBar({ stream: nullStream() as never })], enableCheckpointing: false })),
  mc: fit(() => mc('mc', 'durable')),
  'mc-nondurable': fit(() => mc('mcnd', 'nondurable')),
  'mc-noio': fit(() => mc('mcnoio', 'none')),
  sync20: fit(() => mc('sync', 'durable', { everyNTrainSteps: 20, saveTopK: -1 })),
  async20: fit(() => mc('async', 'durable', { everyNTrainSteps: 20, saveTopK: -1, asyncSave: true })),
};
const chosen = (process.argv[3]?.split(',') ?? Object.keys(all)).map((name) => {
  const run = all[name];
  if (run === undefined) throw new Error(`unknown variant ${name}`);
  return [name, run] as const;
});

interface Sample { wall: number; cpu: number; c: Counters; steps: typeof stepTimes }
const samples = new Map<string, Sample[]>();
try {
  for (const [, run] of chosen) await run(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of rotate(chosen, round)) {
      counters = zero();
      stepTimes = { '1': [], '2-4': [], '5-12': [], other: [] };
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await run();
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      samples.set(name, [...(samples.get(name) ?? []), { wall, cpu: (cpu.user + cpu.system) / 1000, c: counters, steps: stepTimes }]);
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const us = (ms: number): string => ((ms * 1000) / stepsPerRun).toFixed(0).padStart(6);
const base = samples.get('none');
const medianOf = (list: Sample[], f: (s: Sample) => number): number => median(list.map(f));
console.log(`${stepsPerRun} steps per run, ${rounds} rounds, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; medians, µs per step`);
console.log('variant         wall    cpu  Δwall  Δcpu | saves  hook/save write/save  flushWait/step');
for (const [name, list] of samples) {
  const wall = medianOf(list, (s) => s.wall);
  const cpu = medianOf(list, (s) => s.cpu);
  // Δ: the median of per-round differences against 'none' (same round).
  const d = (f: (s: Sample) => number): string => (base === undefined ? '     -' : us(median(list.map((s, i) => f(s) - f(base[i]!)))));
  const saves = medianOf(list, (s) => s.c.saves);
  const per = (f: (c: Counters) => number): string => (saves === 0 ? '     -' : ((medianOf(list, (s) => f(s.c) / Math.max(1, s.c.saves)) * 1000).toFixed(0) + ' µs').padStart(9));
  console.log(
    `${name.padEnd(14)} ${us(wall)} ${us(cpu)} ${d((s) => s.wall)} ${d((s) => s.cpu)} | ${String(saves).padStart(5)} ${per((c) => c.hookMs)} ${per((c) => c.writeMs)}  ${us(medianOf(list, (s) => s.c.flushWaitMs))}`,
  );
}

console.log('\ntime inside callback hooks (µs per step, median over rounds; ModelCheckpoint includes its saves\' synchronous part)');
for (const [name, list] of samples) {
  const names = [...new Set(list.flatMap((s) => Object.keys(s.c.inHooks)))].filter((n) => n !== 'StepClock');
  if (names.length) console.log(`${name.padEnd(14)} ${names.map((n) => `${n} ${us(median(list.map((s) => s.c.inHooks[n] ?? 0)))}`).join('   ')}`);
}
console.log('\nstep wall time (µs, median over rounds of the mean per run) by steps since the last save hook; n = steps per run');
console.log(`variant        ${BUCKETS.map((b) => `${b.padStart(8)}   n`).join('  ')}`);
for (const [name, list] of samples) {
  const cells = BUCKETS.map((b) => {
    const means = list.map((s) => s.steps[b]).filter((v) => v.length > 0).map((v) => v.reduce((a, x) => a + x, 0) / v.length);
    const n = median(list.map((s) => s.steps[b].length));
    return `${(means.length ? median(means) * 1000 : Number.NaN).toFixed(0).padStart(8)} ${String(n).padStart(3)}`;
  });
  console.log(`${name.padEnd(14)} ${cells.join('  ')}`);
}
