/** BackboneFinetuning: Lightning's lr schedule for the backbone group, freezing by epoch, metadata by parameter name. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackboneFinetuning } from '../../../src/components/callbacks/backbone-finetuning.js';
import { CallbackConfigError } from '../../../src/components/callbacks/errors.js';
import { initEngine } from '../../../src/components/engine/index.js';
import { Linear, Module, type OptimizersConfig } from '../../../src/components/nn/index.js';
import { SGD } from '../../../src/components/optim/sgd.js';
import { FakeTrainer } from './support/fake-trainer.js';

class Net extends Module {
  backbone = new Linear(2, 2);
  head = new Linear(2, 1);
  trainingStep(): tf.Scalar {
    throw new Error('not used');
  }
  configureOptimizers(): OptimizersConfig {
    throw new Error('not used');
  }
}

function setup(options: ConstructorParameters<typeof BackboneFinetuning>[0] = {}) {
  const net = new Net();
  const params = net.namedParameters();
  const optimizer = new SGD(
    [{ params: params.filter(([n]) => n.startsWith('head.')) }, { params: params.filter(([n]) => n.startsWith('backbone.')) }],
    { lr: 0.1 },
  );
  const trainer = new FakeTrainer();
  trainer.optimizers = { default: optimizer };
  const callback = new BackboneFinetuning({ unfreezeBackboneAtEpoch: 2, ...options });
  return { net, optimizer, trainer, callback };
}

const trainable = (net: Net) => net.backbone.parameters().map((p) => p.trainable);

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('BackboneFinetuning', () => {
  it('freezes the backbone until the epoch, then follows Lightning\'s lr schedule (ratio, ×2, aligned)', () => {
    const { net, optimizer, trainer, callback } = setup();
    callback.onFitStart(trainer, net);
    expect(trainable(net)).toEqual([false, false]);
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 7; epoch++) {
      trainer.currentEpoch = epoch;
      callback.onTrainEpochStart(trainer, net);
      lrs.push(optimizer.paramGroups[1]!.lr);
      if (epoch === 1) expect(trainable(net)).toEqual([false, false]);
    }
    expect(trainable(net)).toEqual([true, true]);
    // epoch 2: 0.1 × 0.1; then ×2 each epoch, capped at the head's 0.1.
    expect(lrs.slice(2)).toEqual([0.01, 0.02, 0.04, 0.08, 0.1]);
    expect(callback.previousBackboneLr).toBe(0.1);
    expect(callback.stateDict().internalOptimizerMetadata).toEqual({
      default: [
        { params: ['head.weight', 'head.bias'], lr: 0.1 },
        { params: ['backbone.weight', 'backbone.bias'], lr: 0.1 },
      ],
    });
  });

  it('uses backboneInitialLr and lambdaFunc, and without shouldAlign may exceed the head lr', () => {
    const { net, optimizer, trainer, callback } = setup({ unfreezeBackboneAtEpoch: 0, backboneInitialLr: 0.05, lambdaFunc: (e) => e, shouldAlign: false });
    callback.onFitStart(trainer, net);
    expect(trainable(net)).toEqual([true, true]);
    const lrs = [0, 1, 2].map((epoch) => {
      trainer.currentEpoch = epoch;
      callback.onTrainEpochStart(trainer, net);
      return optimizer.paramGroups[1]!.lr;
    });
    expect(lrs).toEqual([0.05, 0.1, 0.3]);
  });

  it('resumes: freezing follows the restored epoch, the lr schedule continues from previousBackboneLr', () => {
    const first = setup();
    first.callback.onFitStart(first.trainer, first.net);
    for (let epoch = 0; epoch <= 3; epoch++) {
      first.trainer.currentEpoch = epoch;
      first.callback.onTrainEpochStart(first.trainer, first.net);
    }
    const saved = first.callback.stateDict();
    const second = setup();
    second.trainer.currentEpoch = 4;
    second.callback.onFitStart(second.trainer, second.net);
    second.callback.loadStateDict(saved);
    expect(second.callback.stateDict()).toEqual(saved);
    expect(trainable(second.net)).toEqual([true, true]);
    second.callback.onTrainEpochStart(second.trainer, second.net);
    expect(second.optimizer.paramGroups[1]!.lr).toBe(0.04);
  });

  it('refuses saved metadata whose groups list other parameters, and changes nothing', () => {
    const { net, trainer, callback } = setup();
    callback.onFitStart(trainer, net);
    const state = { previousBackboneLr: 0.5, internalOptimizerMetadata: { default: [{ params: ['head.weight'], lr: 0.1 }] } };
    expect(() => callback.loadStateDict(state)).toThrow(/internalOptimizerMetadata\.default/);
    expect(callback.previousBackboneLr).toBeNull();
  });

  it('says how to fix a module without a backbone or an optimizer without a backbone group', () => {
    const { net, trainer, callback } = setup();
    trainer.optimizers = { default: new SGD(net.namedParameters(), { lr: 0.1 }) };
    expect(() => callback.onFitStart(trainer, net)).toThrow(/its own group/);
    expect(() => new BackboneFinetuning({ backboneField: 'encoder' }).onFitStart(trainer, net)).toThrow(CallbackConfigError);
  });
});
