/**
 * A long fit with validation and checkpointing leaves tfjs's tensor count where it started (no tensor leaks). The
 * process's memory (RSS, the JS heap) is not asserted here, where it would be timing-dependent noise: the memory soak
 * (`npm run soak:memory`, RELIABILITY.md) measures it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Callback } from '../../src/components/callbacks/callback.js';
import { EarlyStopping } from '../../src/components/callbacks/early-stopping.js';
import { EMAWeightAveraging } from '../../src/components/callbacks/ema-weight-averaging.js';
import { LearningRateMonitor } from '../../src/components/callbacks/learning-rate-monitor.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import type { OptimizersConfig } from '../../src/components/nn/module-types.js';
import { AdamW } from '../../src/components/optim/adamw.js';
import { DynamicLossScaling } from '../../src/components/precision/dynamic-loss-scaling.js';
import { CosineAnnealingLR } from '../../src/components/schedulers/cosine-annealing-lr.js';
import { LinearLR } from '../../src/components/schedulers/linear-lr.js';
import { SequentialLR } from '../../src/components/schedulers/sequential-lr.js';
import { CSVLogger } from '../../src/trainer/loggers/csv-logger.js';
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

/** Records tfjs's tensor count after given optimizer steps (at the end of the batch, its tensors released). */
class CountTensors extends Callback {
  readonly counts = new Map<number, number>();
  constructor(private readonly at: readonly number[]) {
    super();
  }
  override onTrainBatchEnd(trainer: TrainerView): void {
    if (this.at.includes(trainer.globalStep) && !this.counts.has(trainer.globalStep)) this.counts.set(trainer.globalStep, tf.memory().numTensors);
  }
}

/** AdamW under a warmup + cosine schedule stepped every step (the flagship's optimizer): it keeps two moments a parameter. */
class AdamRegressor extends TinyRegressor {
  optimizer: AdamW | undefined;
  override configureOptimizers(): OptimizersConfig {
    const optimizer = new AdamW(this.namedParameters(), { lr: 0.01, weightDecay: 1e-4 });
    this.optimizer = optimizer;
    const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 50 });
    const cosine = new CosineAnnealingLR(optimizer, { tMax: 950, etaMin: 1e-4 });
    return { optimizer, lrScheduler: { scheduler: new SequentialLR(optimizer, { schedulers: [warmup, cosine], milestones: [50] }), interval: 'step' } };
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
    const checkpoint = new ModelCheckpoint({ dirpath: join(dir, 'sgd'), monitor: 'val_loss', saveTopK: 2, saveLast: true, everyNTrainSteps: 100 });
    const trainer = new Trainer({
      ...QUIET,
      maxSteps: 1000,
      accumulateGradBatches: 2,
      gradientClipVal: 1,
      valCheckInterval: 0.5,
      precision: new DynamicLossScaling({ initScale: 256 }),
      logger: new CSVLogger({ saveDir: join(dir, 'logs') }),
      callbacks: [new SaveEvery(), new LearningRateMonitor(), new EarlyStopping({ monitor: 'val_loss', patience: 1_000_000 }), checkpoint],
    });
    await trainer.fit(module, { trainDataloaders: train, valDataloaders: val });
    await checkpoint.flush();
    expect(trainer.globalStep).toBe(1000);
    expect(Object.keys(checkpoint.bestKModels)).toHaveLength(2);
    // SGD without momentum keeps no tensors; the count must be exactly where it started.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('1,000 steps of AdamW, a step schedule, EMA and top-k checkpoints: the count settles after the first step and returns to the start when the run is disposed', async () => {
    const train = loaderOf({ n: 40, batchSize: 4, shuffle: true });
    const val = loaderOf({ n: 8 });
    const module = new AdamRegressor();
    const before = tf.memory().numTensors;
    const counter = new CountTensors([1, 100, 500, 1000]);
    const ema = new EMAWeightAveraging({ decay: 0.9 });
    const checkpoint = new ModelCheckpoint({ dirpath: join(dir, 'adam'), monitor: 'val_loss', saveTopK: 2, saveLast: true, everyNTrainSteps: 100 });
    const trainer = new Trainer({ ...QUIET, maxSteps: 1000, valCheckInterval: 0.5, callbacks: [counter, ema, checkpoint] });
    await trainer.fit(module, { trainDataloaders: train, valDataloaders: val });
    await checkpoint.flush();
    expect(trainer.globalStep).toBe(1000);
    // From the first step on, the run holds the same tensors (AdamW's moments, EMA's averages, the batch in hand).
    const counts = [...counter.counts.values()];
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    // The optimizer's moments and the EMA copies are the run's own tensors; with them released, nothing is left.
    module.optimizer!.dispose();
    ema.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
