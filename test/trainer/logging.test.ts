/** module.log with Lightning's semantics: onStep/onEpoch defaults, `_step`/`_epoch` keys, mean reduction, the three metric maps. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LearningRateMonitor } from '../../src/components/callbacks/learning-rate-monitor.js';
import { initEngine } from '../../src/components/engine/index.js';
import type { Logger } from '../../src/trainer/loggers/logger.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { type Batch, loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

class MemoryLogger implements Logger {
  readonly name = 'memory';
  readonly version = 0;
  readonly rows: { step: number; metrics: Record<string, number> }[] = [];
  hparams: unknown;
  status: string | undefined;
  logMetrics(metrics: Readonly<Record<string, number>>, step: number): void {
    this.rows.push({ step, metrics: { ...metrics } });
  }
  logHyperparams(params: unknown): void {
    this.hparams = params;
  }
  finalize(status: string): void {
    this.status = status;
  }
}

class BothWays extends TinyRegressor {
  override trainingStep(batch: Batch, batchIdx: number): tf.Scalar {
    const loss = super.trainingStep(batch, batchIdx);
    this.log('loss', loss, { onStep: true, onEpoch: true, progBar: true });
    this.log('maxIdx', batchIdx, { reduceFx: 'max', onStep: false, onEpoch: true, logger: true });
    return loss;
  }
}

describe('logging', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('reports step values as <key>_step and epoch means as <key>_epoch, with epoch added for loggers', async () => {
    const logger = new MemoryLogger();
    const module = new BothWays();
    module.hparams = { lr: 0.1 };
    const trainer = new Trainer({ ...QUIET, maxEpochs: 2, logger, logEveryNSteps: 1, numSanityValSteps: 0 });
    await trainer.fit(module, { trainDataloaders: loaderOf({ n: 12 }), valDataloaders: loaderOf({ n: 8 }) });

    const stepRows = logger.rows.filter((r) => 'loss_step' in r.metrics);
    expect(stepRows.map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5]);
    // trainingStep's own `train_loss` defaults to onStep only: logged under its own name.
    expect(stepRows.every((r) => r.metrics['train_loss'] === r.metrics['loss_step'])).toBe(true);
    const epochRows = logger.rows.filter((r) => 'loss_epoch' in r.metrics);
    expect(epochRows.map((r) => r.metrics['epoch'])).toEqual([0, 1]);
    for (const [e, row] of epochRows.entries()) {
      const steps = stepRows.slice(3 * e, 3 * e + 3).map((r) => r.metrics['loss_step']!);
      expect(row.metrics['loss_epoch']).toBeCloseTo(steps.reduce((a, b) => a + b, 0) / steps.length, 6);
      expect(row.metrics['maxIdx']).toBe(2);
      expect(row.step).toBe(3 * e + 2);
    }
    // validation_step logs default to onEpoch: one value per validation run, under its own name.
    const valRows = logger.rows.filter((r) => 'val_loss' in r.metrics);
    expect(valRows).toHaveLength(2);

    expect(trainer.callbackMetrics['loss']).toBe(trainer.callbackMetrics['loss_epoch']);
    expect(Object.keys(trainer.callbackMetrics).sort()).toEqual(['loss', 'loss_epoch', 'loss_step', 'maxIdx', 'train_loss', 'val_loss']);
    expect(Object.keys(trainer.progressBarMetrics).sort()).toEqual(['loss_epoch', 'loss_step', 'train_loss']);
    expect(trainer.loggedMetrics['loss_epoch']).toBe(epochRows[1]!.metrics['loss_epoch']);
    expect(logger.hparams).toEqual({ lr: 0.1 });
    expect(logger.status).toBe('success');
  });

  it("LearningRateMonitor logs at the trainer's logEveryNSteps, on the same steps as the step metrics", async () => {
    const logger = new MemoryLogger();
    const trainer = new Trainer({ ...QUIET, maxSteps: 7, logger, logEveryNSteps: 3, numSanityValSteps: 0, callbacks: [new LearningRateMonitor({ loggingInterval: 'step' })] });
    expect(trainer.logEveryNSteps).toBe(3);
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 12 }) });
    const lrSteps = logger.rows.filter((r) => 'lr-SGD' in r.metrics).map((r) => r.step);
    const lossSteps = logger.rows.filter((r) => 'train_loss' in r.metrics).map((r) => r.step);
    expect(lrSteps).toEqual([2, 5]);
    expect(lossSteps).toEqual(lrSteps);
  });

  it('refuses a key logged with different options within a run, and a value that is not a scalar', async () => {
    class Inconsistent extends TinyRegressor {
      override trainingStep(batch: Batch, batchIdx: number): tf.Scalar {
        const loss = super.trainingStep(batch, batchIdx);
        this.log('x', 1, { reduceFx: batchIdx === 0 ? 'mean' : 'max' });
        return loss;
      }
    }
    await expect(new Trainer({ ...QUIET, maxEpochs: 1 }).fit(new Inconsistent(), { trainDataloaders: loaderOf({ n: 8 }) })).rejects.toThrow(/log\('x'\): logged earlier in this run with other options/);
    class Vector extends TinyRegressor {
      override trainingStep(batch: Batch, batchIdx: number): tf.Scalar {
        this.log('v', tf.tensor1d([1, 2]));
        return super.trainingStep(batch, batchIdx);
      }
    }
    await expect(new Trainer({ ...QUIET, maxEpochs: 1 }).fit(new Vector(), { trainDataloaders: loaderOf({ n: 8 }) })).rejects.toThrow(/shape \[2\]/);
  });
});
