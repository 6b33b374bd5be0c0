/**
 * Exact resume across processes (issue 12): a run resumed in a NEW process from a checkpoint taken at step k ends
 * byte-identical to the uninterrupted run: its final checkpoint (module parameters, optimizer and LR-scheduler
 * states, the loss scaler's state, the partial gradient sums, the RNG that drives dropout, loop progress,
 * EarlyStopping's state, the loaders' positions) is the same tree with the same bytes, and its metrics.csv rows from
 * step k+1 on are the same rows.
 *
 * The checkpoints at k are written by the uninterrupted run itself, at the moment of k (see support/resume-child.ts):
 * "train k steps and save" gives the same file whether or not the process goes on afterwards. Dropout, a shuffling
 * loader and prefetch are on in every case. Four uninterrupted runs are the references: the default one (float32, one
 * batch per step), one that accumulates gradients over 3 batches, one under DynamicLossScaling whose scale grows and,
 * at two poisoned steps, backs off, and one that also checkpoints with ModelCheckpoint({ asyncSave: true }).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstDifference } from '../../examples/digits-classifier/first-difference.js';
import { loadCheckpoint } from '../../src/checkpoint/index.js';
import type { RunConfig, SavePoint } from './support/resume-child.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'kindling-exact-resume-'));
afterAll(() => (process.env['KEEP_RESUME_DIR'] ? undefined : rmSync(base, { recursive: true, force: true })));

function run(config: RunConfig): Promise<void> {
  mkdirSync(config.runDir, { recursive: true });
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', 'test/e2e/support/resume-child.ts', JSON.stringify(config)], { cwd: root }, (error, _stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`resume-child failed: ${stderr}`)),
    ),
  );
}

function metricsAfter(runDir: string, step: number): string[] {
  const [header, ...rows] = readFileSync(join(runDir, 'kindling_logs', 'version_0', 'metrics.csv'), 'utf8').trimEnd().split('\n');
  const column = header!.split(',').indexOf('step');
  return [header!, ...rows.filter((row) => Number(row.split(',')[column]) > step)];
}

const file = (name: string) => join(base, `${name}.ckpt`);
/**
 * 7 batches per epoch, 4 epochs: 28 optimizer steps. valCheckInterval 0.5 validates every 3 batches (Lightning's
 * `val_check_batch = int(7 * 0.5)`), after batches 3 and 6 of each epoch.
 */
const VALIDATION_STEPS = [3, 6, 10, 13, 17, 20, 24, 27];
const defaultPoints: SavePoint[] = [
  { hook: 'onTrainEpochStart', epoch: 2, file: file('epoch-boundary') },
  { hook: 'onTrainBatchEnd', step: 5, file: file('mid-epoch') },
  { hook: 'onTrainBatchEnd', step: 10, file: file('lr-change') },
  { hook: 'onTrainBatchEnd', step: 12, async: true, file: file('async') },
  ...VALIDATION_STEPS.map((step): SavePoint => ({ hook: 'onValidationEnd', step, file: file(`after-validation-${step}`) })),
  // EarlyStopping checks once per epoch, at the training epoch's end (Lightning's rule when validation runs more
  // than once per epoch); ModelCheckpoint-like callbacks such as the saver run after it.
  ...[1, 2, 3].map((epoch): SavePoint => ({ hook: 'onTrainEpochEnd', epoch, file: file(`epoch-end-${epoch}`) })),
];
const accumulatePoints: SavePoint[] = [
  // With 3 batches per optimizer step (windows of batches 0–2, 3–5 and 6 in each 7-batch epoch), the 5th batch ends
  // two batches into the second window, and the 11th (epoch 1, batch 3) one batch into a window.
  { hook: 'onTrainBatchEnd', call: 5, file: file('mid-accumulation') },
  { hook: 'onTrainBatchEnd', call: 11, async: true, file: file('mid-accumulation-async') },
];
/**
 * Loss scaling: the scale starts at 2¹⁶ and doubles after every 3 finite steps; the losses of global steps 8 and 17
 * are multiplied by Infinity, so those steps are skipped and the scale halves (2¹⁸ → 2¹⁷ at the 9th step).
 */
const SCALING: Partial<RunConfig> = { lossScaling: { initScale: 2 ** 16, growthInterval: 3 }, nonFiniteLossAtSteps: [8, 17] };
const scalingPoints: SavePoint[] = [
  { hook: 'onTrainBatchEnd', step: 9, file: file('scale-backoff') },
  { hook: 'onTrainBatchEnd', step: 16, file: file('scale-growth-pending') },
];

/** ModelCheckpoint in the background every 4 steps, every file kept: epoch=0-step=4.ckpt … epoch=3-step=28.ckpt. */
const modelCheckpointDir = join(base, 'model-checkpoint');
const MODEL_CHECKPOINT: Partial<RunConfig> = { modelCheckpoint: { dirpath: modelCheckpointDir, everyNTrainSteps: 4 } };

const reference = { runDir: join(base, 'reference'), final: join(base, 'reference-final.ckpt') };
const accumulating = { runDir: join(base, 'reference-acc'), final: join(base, 'reference-acc-final.ckpt') };
const scaled = { runDir: join(base, 'reference-scaled'), final: join(base, 'reference-scaled-final.ckpt') };
const checkpointing = { runDir: join(base, 'reference-mc'), final: join(base, 'reference-mc-final.ckpt') };

/** The sections the comparison must cover: a tree that lacked one on both sides would compare equal without it. */
const COMPARED = ['module', 'loops', 'callbacks', 'optimizers', 'lrSchedulers', 'precision', 'gradientAccumulator', 'dataloaders', 'rng'];

async function expectExactResume(name: string, from: string, ref: { runDir: string; final: string }, extra: Partial<RunConfig> = {}): Promise<void> {
  const resumed = { runDir: join(base, `resumed-${name}`), final: join(base, `resumed-${name}-final.ckpt`) };
  const saved = await loadCheckpoint(from);
  const k = saved['globalStep'] as number;
  await run({ ...resumed, resumeFrom: from, ...extra });
  const [a, b] = await Promise.all([loadCheckpoint(ref.final), loadCheckpoint(resumed.final)]);
  for (const section of COMPARED) expect(Object.keys(b)).toContain(section);
  expect(firstDifference(a, b)).toBeUndefined();
  const rows = metricsAfter(resumed.runDir, k);
  expect(rows.length).toBeGreaterThan(1);
  expect(rows).toEqual(metricsAfter(ref.runDir, k));
}

describe('exact resume in a new process', () => {
  beforeAll(async () => {
    await Promise.all([
      run({ ...reference, saveAt: defaultPoints }),
      run({ ...accumulating, saveAt: accumulatePoints, accumulateGradBatches: 3 }),
      run({ ...scaled, saveAt: scalingPoints, ...SCALING }),
      run({ ...checkpointing, ...MODEL_CHECKPOINT }),
    ]);
  }, 180_000);

  it.each([
    ['at an epoch boundary', 'epoch-boundary'],
    ['mid-epoch', 'mid-epoch'],
    ['at the step where StepLR changes the learning rate', 'lr-change'],
    ['from a checkpoint written in the background (AsyncCheckpointSaver)', 'async'],
  ])('%s', async (_title, name) => {
    await expectExactResume(name, file(name), reference);
  }, 60_000);

  it('from a file ModelCheckpoint wrote in the background (asyncSave), writing the later files the same', async () => {
    const later = ['epoch=2-step=16', 'epoch=2-step=20', 'epoch=3-step=24', 'epoch=3-step=28'].map((name) => join(modelCheckpointDir, `${name}.ckpt`));
    const written = await Promise.all(later.map((f) => loadCheckpoint(f)));
    // Removed, so that the files found afterwards are the resumed run's.
    for (const f of later) rmSync(f);
    await expectExactResume('model-checkpoint', join(modelCheckpointDir, 'epoch=1-step=12.ckpt'), checkpointing, MODEL_CHECKPOINT);
    for (const [i, f] of later.entries()) {
      expect(existsSync(f)).toBe(true);
      expect(firstDifference(written[i], await loadCheckpoint(f))).toBeUndefined();
    }
  }, 60_000);

  // A run resumed from a checkpoint written in onValidationEnd does not run that validation again
  // (fitLoop.epochLoop.lastValidatedBatch records it).
  it('right after a validation inside an epoch', async () => {
    await expectExactResume('after-validation', file('after-validation-17'), reference);
  }, 60_000);

  it('at the epoch end where EarlyStopping first loses patience', async () => {
    // The first epoch end after which EarlyStopping's wait count went up, found in the saved states (minDelta 0.07
    // makes epoch 2's improvement of the validation loss too small).
    let found: number | undefined;
    for (const epoch of [1, 2, 3]) {
      const tree = await loadCheckpoint(file(`epoch-end-${epoch}`));
      const es = Object.values(tree['callbacks'] as Record<string, { waitCount?: number }>).find((c) => c.waitCount !== undefined)!;
      if (es.waitCount! > 0) {
        found = epoch;
        break;
      }
    }
    expect(found).toBeDefined();
    await expectExactResume('early-stopping', file(`epoch-end-${found}`), reference);
  }, 60_000);

  // The gradients summed so far in the window are the checkpoint's gradientAccumulator section; the resumed run adds
  // the window's remaining batches to them in the uninterrupted run's order.
  it.each([
    ['mid gradient-accumulation window', 'mid-accumulation', 2],
    ['mid gradient-accumulation window, from a checkpoint written in the background', 'mid-accumulation-async', 1],
  ])('%s', async (_title, name, batches) => {
    const saved = (await loadCheckpoint(file(name)))['gradientAccumulator'] as { batches: number; partialSums: Record<string, unknown> };
    expect(saved.batches).toBe(batches);
    expect(Object.keys(saved.partialSums).sort()).toEqual(['fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight']);
    await expectExactResume(name, file(name), accumulating, { accumulateGradBatches: 3 });
  }, 60_000);

  // The loss scaler's state (scale, growth tracker, factors) is the precision section, compared with the rest.
  it.each([
    ['right after DynamicLossScaling skipped a non-finite step and backed the scale off', 'scale-backoff', { scale: 2 ** 17, growthTracker: 0 }],
    ['with DynamicLossScaling one finite step before the scale grows', 'scale-growth-pending', { scale: 2 ** 19, growthTracker: 1 }],
  ])('%s', async (_title, name, expected) => {
    expect((await loadCheckpoint(file(name)))['precision']).toEqual({ ...expected, growthFactor: 2, backoffFactor: 0.5, growthInterval: 3 });
    await expectExactResume(name, file(name), scaled, SCALING);
    // The scaler moved on after k (it grew, and backed off again at step 17): the final states compared above differ
    // from the saved one.
    expect((await loadCheckpoint(scaled.final))['precision']).not.toEqual((await loadCheckpoint(file(name)))['precision']);
  }, 60_000);
});
