/**
 * What `onTrainBatchEnd` receives as `outputs` is the step's output with its tensors alive, whatever the
 * accumulation: the loss was disposed when nothing scaled it (accumulateGradBatches 1, float32), so the ProgressBar
 * never showed `loss=` and a callback reading it failed. After the hook the trainer disposes it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../../src/components/callbacks/callback.js';
import { initEngine } from '../../src/components/engine/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { QUIET } from './support/quiet.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

class LossReader extends Callback {
  readonly losses: number[] = [];
  outputs: tf.Tensor[] = [];
  override onTrainBatchEnd(_trainer: unknown, _module: unknown, outputs: unknown): void {
    const loss = outputs as tf.Tensor;
    this.outputs.push(loss);
    this.losses.push(loss.isDisposed ? Number.NaN : loss.dataSync()[0]!);
  }
}

describe('onTrainBatchEnd outputs', () => {
  it.each([1, 2])('holds the live loss with accumulateGradBatches %i, disposed after the hook', async (accumulateGradBatches) => {
    const reader = new LossReader();
    const trainer = new Trainer({ ...QUIET, maxEpochs: 1, accumulateGradBatches, callbacks: [reader] });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 8 }) });
    expect(reader.losses.length).toBeGreaterThan(0);
    for (const loss of reader.losses) expect(Number.isFinite(loss)).toBe(true);
    expect(reader.outputs.every((t) => t.isDisposed)).toBe(true);
  });
});
