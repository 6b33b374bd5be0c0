/** A long fit with validation and checkpointing leaves tfjs's tensor count where it started (no tensor leaks). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../../src/components/callbacks/callback.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { DynamicLossScaling } from '../../src/components/precision/dynamic-loss-scaling.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class SaveEvery extends Callback {
  override onTrainBatchEnd(trainer: TrainerView): void {
    if (trainer.globalStep % 100 === 0) void trainer.saveCheckpoint(join(dir, 'every-100.kcpt'));
  }
}

describe('memory', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('1,000 steps with validation, accumulation, clipping, loss scaling and checkpoints leak no tfjs tensor', async () => {
    const train = loaderOf({ n: 40, batchSize: 4, shuffle: true });
    const val = loaderOf({ n: 8 });
    const module = new TinyRegressor({ withScheduler: true });
    // Everything that lives across the run exists before counting: data, parameters.
    const before = tf.memory().numTensors;
    const trainer = new Trainer({
      ...QUIET,
      maxSteps: 1000,
      accumulateGradBatches: 2,
      gradientClipVal: 1,
      valCheckInterval: 0.5,
      precision: new DynamicLossScaling({ initScale: 256 }),
      callbacks: [new SaveEvery()],
    });
    await trainer.fit(module, { trainDataloaders: train, valDataloaders: val });
    expect(trainer.globalStep).toBe(1000);
    // SGD without momentum keeps no tensors; the count must be exactly where it started.
    expect(tf.memory().numTensors).toBe(before);
  });
});
