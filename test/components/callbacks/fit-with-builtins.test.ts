/**
 * The built-in callbacks and CSVLogger on kindling's real Trainer (a smoke test of their wiring; the trainer's own
 * end-to-end tests cover resume exactness): files written where they should be, the run stopped by EarlyStopping,
 * and a fresh set of callbacks restored from `last.ckpt` has the saved states.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../../src/checkpoint/file-load.js';
import type { Callback } from '../../../src/components/callbacks/callback.js';
import { EarlyStopping } from '../../../src/components/callbacks/early-stopping.js';
import { EMAWeightAveraging } from '../../../src/components/callbacks/ema-weight-averaging.js';
import { LearningRateMonitor } from '../../../src/components/callbacks/learning-rate-monitor.js';
import { ModelCheckpoint } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { ProgressBar } from '../../../src/components/callbacks/progress/progress-bar.js';
import { Timer } from '../../../src/components/callbacks/timer.js';
import { initEngine } from '../../../src/components/engine/index.js';
import { CSVLogger } from '../../../src/trainer/loggers/csv-logger.js';
import { Trainer } from '../../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from '../../trainer/support/tiny.js';

let root: string;
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kindling-builtins-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function builtins(dirpath?: string) {
  const lines: string[] = [];
  return {
    lines,
    callbacks: {
      early: new EarlyStopping({ monitor: 'val_loss', patience: 1, minDelta: 10 }),
      checkpoint: new ModelCheckpoint({ monitor: 'val_loss', saveTopK: 2, saveLast: true, filename: '{epoch}-{val_loss:.4f}', ...(dirpath === undefined ? {} : { dirpath }) }),
      timer: new Timer({ duration: { hours: 1 } }),
      lr: new LearningRateMonitor(),
      ema: new EMAWeightAveraging({ decay: 0.5 }),
      bar: new ProgressBar({ stream: { write: (text: string) => lines.push(text) > 0, isTTY: false } }),
    },
  };
}

describe('built-in callbacks on the Trainer', () => {
  it('checkpoints, logs, stops early, and restores into fresh callbacks', async () => {
    const run = builtins();
    const logger = new CSVLogger({ saveDir: root, flushEveryNSteps: 1 });
    const list: Callback[] = Object.values(run.callbacks);
    const trainer = new Trainer({ maxEpochs: 6, defaultRootDir: root, logger, logEveryNSteps: 1, callbacks: list });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 16, batchSize: 4 }), valDataloaders: loaderOf({ n: 8, batchSize: 4 }) });
    await run.callbacks.checkpoint.flush();

    // minDelta 10 makes every check after the first a non-improvement: patience 1 stops at epoch 1.
    expect(run.callbacks.early.stoppedEpoch).toBe(1);
    expect(run.callbacks.early.stoppingReason).toBe('patienceExhausted');
    const dir = path.join(root, 'kindling_logs', 'version_0', 'checkpoints');
    expect(run.callbacks.checkpoint.dirpath).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual([...Object.keys(run.callbacks.checkpoint.bestKModels).map((f) => path.basename(f)), 'last.ckpt'].sort());
    expect(Object.keys(run.callbacks.checkpoint.bestKModels)).toHaveLength(2);
    const csv = readFileSync(path.join(root, 'kindling_logs', 'version_0', 'metrics.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('lr-SGD');
    expect(run.lines.some((line) => line.startsWith('Epoch 1: 4/4 step=8'))).toBe(true);

    const tree = await loadCheckpoint(run.callbacks.checkpoint.lastModelPath);
    // The same dirpath: a checkpoint from another directory restores only bestModelPath (tested in model-checkpoint.test.ts).
    const fresh = builtins(dir);
    const freshList: Callback[] = Object.values(fresh.callbacks);
    const restorer = new Trainer({ maxEpochs: 6, defaultRootDir: root, logger: false, callbacks: freshList });
    // Validation only restores module, callbacks and datamodule: enough to compare the callbacks' states.
    await restorer.validate(new TinyRegressor(), { dataloaders: loaderOf({ n: 8, batchSize: 4 }) }, { ckptPath: run.callbacks.checkpoint.lastModelPath });
    const saved = (tree as { callbacks: Record<string, unknown> }).callbacks;
    for (const callback of freshList) {
      const state = callback.stateDict();
      if (Object.keys(state).length === 0) expect(saved[callback.stateKey]).toBeUndefined();
      else if (callback instanceof Timer) expect(Object.keys(state)).toEqual(['timeElapsed']);
      else expect(state, callback.stateKey).toEqual(saved[callback.stateKey]);
    }
    run.callbacks.ema.dispose();
    fresh.callbacks.ema.dispose();
  });
});
