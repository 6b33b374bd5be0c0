/**
 * Issue 13, item 8: the training loop lets the event loop run between batches. A batch is synchronous tfjs work and
 * the loaders hand out ready batches, so without a macrotask per batch an epoch never leaves the microtask queue:
 * timers and I/O callbacks waited for the end of fit, and an async checkpoint's write (started in a hook, not waited
 * for by the trainer) only progressed then, every write of the fit in a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalCheckpointIO, type SaveOptions, type StateTree } from '../../src/checkpoint/index.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import type { TrainerModule, TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { QUIET } from './support/quiet.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** 24 points in batches of 4: 6 steps per epoch. */
const EPOCHS = 3;
const STEPS = EPOCHS * 6;

describe('the fit loop and the event loop', () => {
  it('runs a timer scheduled in a hook before the next few batches are done, not at the end of fit', async () => {
    let firedAt: number | undefined;
    class Scheduler extends Callback {
      override onTrainBatchEnd(trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, batchIdx: number): void {
        if (trainer.currentEpoch === 0 && batchIdx === 0) setImmediate(() => (firedAt = trainer.globalStep));
      }
    }
    const trainer = new Trainer({ ...QUIET, maxEpochs: EPOCHS, numSanityValSteps: 0, callbacks: [new Scheduler()] });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() });
    expect(trainer.globalStep).toBe(STEPS);
    expect(firedAt).toBe(1);
  });

  it('lets an async checkpoint write complete while training goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-event-loop-'));
    dirs.push(dir);
    let trainer: Trainer | undefined;
    const doneAt: number[] = [];
    /** A write of three I/O round trips (macrotasks, as fs calls are), not timed by a disk: each needs a loop turn. */
    class RoundTripIO extends LocalCheckpointIO {
      override async save(_path: string, _tree: StateTree, _options?: SaveOptions): Promise<void> {
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
        doneAt.push(trainer!.globalStep);
      }
    }
    const checkpoint = new ModelCheckpoint({ dirpath: dir, everyNTrainSteps: 4, saveTopK: -1, asyncSave: true, io: new RoundTripIO() });
    trainer = new Trainer({ ...QUIET, maxEpochs: EPOCHS, numSanityValSteps: 0, callbacks: [checkpoint] });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() });
    expect(doneAt).toHaveLength(Math.floor(STEPS / 4));
    // The first write starts at step 4 and takes a loop turn per round trip; before this, every write finished at
    // the end of fit (step 18).
    expect(doneAt[0]).toBeGreaterThanOrEqual(5);
    expect(doneAt[0]).toBeLessThanOrEqual(8);
  });
});
