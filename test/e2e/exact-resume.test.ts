/**
 * Exact resume across processes (issue 12): a run resumed in a NEW process from a checkpoint taken at step k ends
 * byte-identical to the uninterrupted run: its final checkpoint (module parameters, optimizer and LR-scheduler
 * states, the RNG that drives dropout, loop progress, EarlyStopping's state, the loaders' positions) is the same tree
 * with the same bytes, and its metrics.csv rows from step k+1 on are the same rows.
 *
 * The checkpoints at k are written by the uninterrupted run itself, at the moment of k (see support/resume-child.ts):
 * "train k steps and save" gives the same file whether or not the process goes on afterwards. Dropout, a shuffling
 * loader and prefetch are on in every case.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  // With 3 batches per optimizer step, the 5th batch ends two batches into the second window.
  { hook: 'onTrainBatchEnd', call: 5, file: file('mid-accumulation') },
];

const reference = { runDir: join(base, 'reference'), final: join(base, 'reference-final.ckpt') };
const accumulating = { runDir: join(base, 'reference-acc'), final: join(base, 'reference-acc-final.ckpt') };

async function expectExactResume(name: string, from: string, ref: { runDir: string; final: string }, extra: Partial<RunConfig> = {}): Promise<void> {
  const resumed = { runDir: join(base, `resumed-${name}`), final: join(base, `resumed-${name}-final.ckpt`) };
  const saved = await loadCheckpoint(from);
  const k = saved['globalStep'] as number;
  await run({ ...resumed, resumeFrom: from, ...extra });
  const [a, b] = await Promise.all([loadCheckpoint(ref.final), loadCheckpoint(resumed.final)]);
  expect(firstDifference(a, b)).toBeUndefined();
  const rows = metricsAfter(resumed.runDir, k);
  expect(rows.length).toBeGreaterThan(1);
  expect(rows).toEqual(metricsAfter(ref.runDir, k));
}

describe('exact resume in a new process', () => {
  beforeAll(async () => {
    await Promise.all([run({ ...reference, saveAt: defaultPoints }), run({ ...accumulating, saveAt: accumulatePoints, accumulateGradBatches: 3 })]);
  }, 120_000);

  it.each([
    ['at an epoch boundary', 'epoch-boundary'],
    ['mid-epoch', 'mid-epoch'],
    ['at the step where StepLR changes the learning rate', 'lr-change'],
    ['from a checkpoint written in the background (AsyncCheckpointSaver)', 'async'],
  ])('%s', async (_title, name) => {
    await expectExactResume(name, file(name), reference);
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

  // Known trainer gap (reported): the gradients summed so far in an accumulation window are not in the checkpoint,
  // so a run resumed mid-window steps with part of the window's gradient and the weights differ.
  it.fails('mid gradient-accumulation window (fails: the partial gradient sum is not checkpointed)', async () => {
    await expectExactResume('mid-accumulation', file('mid-accumulation'), accumulating, { accumulateGradBatches: 3 });
  }, 60_000);
});
