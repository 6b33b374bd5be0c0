/** LearningRateMonitor: Lightning's keys and intervals, read from the trainer's named optimizers and schedulers. */
import { describe, expect, it } from 'vitest';
import { LearningRateMonitor } from '../../../src/components/callbacks/learning-rate-monitor.js';
import type { TrainerLrScheduler } from '../../../src/components/callbacks/trainer-view.js';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import { initEngine } from '../../../src/components/engine/index.js';
import type { Module } from '../../../src/components/nn/module.js';
import { Parameter } from '../../../src/components/nn/parameter.js';
import { Adam } from '../../../src/components/optim/adam.js';
import type { Optimizer } from '../../../src/components/optim/optimizer.js';
import { SGD } from '../../../src/components/optim/sgd.js';
import { StepLR } from '../../../src/components/schedulers/step-lr.js';
import { FakeTrainer } from './support/fake-trainer.js';

const noModule = undefined as unknown as Module;
let n = 0;
const params = () => [[`p${n++}`, new Parameter(tf.zeros([1]))] as const];

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

function scheduler(optimizer: Optimizer, interval: 'step' | 'epoch', optimizerName: string, name = optimizerName): TrainerLrScheduler {
  return { scheduler: new StepLR(optimizer, { stepSize: 1 }), interval, frequency: 1, monitor: undefined, name, optimizerName };
}

describe('LearningRateMonitor', () => {
  it("names the default optimizer by its class and groups /pgN, with momentum from betas or momentum", () => {
    const trainer = new FakeTrainer();
    trainer.optimizers = { default: new SGD([{ params: params(), momentum: 0.9 }, { params: params(), lr: 0.01 }], { lr: 0.1 }) };
    const monitor = new LearningRateMonitor({ logMomentum: true });
    expect(monitor.extractStats(trainer, 'any')).toEqual({ 'lr-SGD/pg1': 0.1, 'lr-SGD/pg1-momentum': 0.9, 'lr-SGD/pg2': 0.01, 'lr-SGD/pg2-momentum': 0 });
    trainer.optimizers = { gen: new Adam(params(), { lr: 1e-3, betas: [0.5, 0.999], weightDecay: 0.01 }) };
    expect(new LearningRateMonitor({ logMomentum: true, logWeightDecay: true }).extractStats(trainer, 'any')).toEqual({
      'lr-gen': 1e-3,
      'lr-gen-momentum': 0.5,
      'lr-gen-weight_decay': 0.01,
    });
  });

  it("logs each scheduler at its own interval, optimizers without one at every interval, and a named scheduler by its name", () => {
    const trainer = new FakeTrainer();
    const gen = new SGD(params(), { lr: 0.1 });
    const disc = new SGD(params(), { lr: 0.2 });
    const free = new SGD(params(), { lr: 0.3 });
    trainer.optimizers = { gen, disc, free };
    trainer.lrSchedulers = { gen: scheduler(gen, 'step', 'gen'), warmup: scheduler(disc, 'epoch', 'disc', 'warmup') };
    const monitor = new LearningRateMonitor();
    expect(monitor.extractStats(trainer, 'step')).toEqual({ 'lr-gen': 0.1, 'lr-free': 0.3 });
    expect(monitor.extractStats(trainer, 'epoch')).toEqual({ warmup: 0.2, 'lr-free': 0.3 });
  });

  it('sends the values to the loggers from its hooks, at the global step', () => {
    const trainer = new FakeTrainer();
    trainer.optimizers = { default: new SGD(params(), { lr: 0.5 }) };
    trainer.globalStep = 7;
    const stepwise = new LearningRateMonitor({ loggingInterval: 'step' });
    stepwise.onTrainEpochStart(trainer, noModule);
    expect(trainer.logged).toEqual([]);
    stepwise.onTrainBatchStart(trainer, noModule);
    expect(trainer.logged).toEqual([{ metrics: { 'lr-SGD': 0.5 }, step: 7 }]);
    new LearningRateMonitor({ loggingInterval: 'epoch' }).onTrainBatchStart(trainer, noModule);
    expect(trainer.logged).toHaveLength(1);
  });

  it("logs at the trainer's logEveryNSteps, as Lightning's should_update_logs: when (globalStep + 1) % n == 0, and when stopping", () => {
    const trainer = new FakeTrainer();
    trainer.optimizers = { default: new SGD(params(), { lr: 0.5 }) };
    trainer.logEveryNSteps = 3;
    const monitor = new LearningRateMonitor({ loggingInterval: 'step' });
    for (let step = 0; step < 9; step++) {
      trainer.globalStep = step;
      monitor.onTrainBatchStart(trainer, noModule);
    }
    expect(trainer.logged.map((r) => r.step)).toEqual([2, 5, 8]);
    trainer.globalStep = 9;
    trainer.shouldStop = true;
    monitor.onTrainBatchStart(trainer, noModule);
    expect(trainer.logged.map((r) => r.step)).toEqual([2, 5, 8, 9]);
    // The epoch interval is not a logging step: it logs at every epoch start whatever logEveryNSteps is.
    const epochwise = new LearningRateMonitor({ loggingInterval: 'epoch' });
    trainer.shouldStop = false;
    trainer.globalStep = 10;
    epochwise.onTrainEpochStart(trainer, noModule);
    expect(trainer.logged.at(-1)).toEqual({ metrics: { 'lr-SGD': 0.5 }, step: 10 });
  });

  it('refuses to start training with no logger, as Lightning (its values would be dropped), and names the fix', () => {
    const trainer = new FakeTrainer();
    trainer.loggers = [];
    expect(() => new LearningRateMonitor().onTrainStart(trainer, noModule)).toThrow(/has none.*logger: new CSVLogger/);
    trainer.loggers = [{ name: 'kindling_logs', version: 0 }];
    expect(() => new LearningRateMonitor().onTrainStart(trainer, noModule)).not.toThrow();
  });

  it('has no state and refuses an unknown interval', () => {
    expect(new LearningRateMonitor().stateDict()).toEqual({});
    expect(() => new LearningRateMonitor({ loggingInterval: 'batch' as 'step' })).toThrow(/loggingInterval/);
  });
});
