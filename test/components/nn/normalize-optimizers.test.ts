/** normalizeOptimizers: what configureOptimizers() may return, named and with Lightning's scheduling defaults. */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/components/engine/index.js';
import { DEFAULT_OPTIMIZER_NAME, ModuleError, normalizeOptimizers, Parameter } from '../../../src/components/nn/index.js';
import { Adam, SGD } from '../../../src/components/optim/index.js';
import { ReduceLROnPlateau, StepLR } from '../../../src/components/schedulers/index.js';

describe('normalizeOptimizers', () => {
  let p: Parameter;
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
    p = Parameter.fromInit(() => tf.zeros([2]));
  });
  afterAll(() => p.dispose());

  it('names a single optimizer or config default and fills in interval and frequency', () => {
    const sgd = new SGD([['p', p]], { lr: 0.1 });
    expect(normalizeOptimizers(sgd)).toEqual({ [DEFAULT_OPTIMIZER_NAME]: { optimizer: sgd, lrScheduler: undefined } });
    const scheduler = new StepLR(sgd, { stepSize: 2 });
    expect(normalizeOptimizers({ optimizer: sgd, lrScheduler: scheduler }).default!.lrScheduler).toEqual({ scheduler, interval: 'epoch', frequency: 1, monitor: undefined, name: undefined });
    expect(normalizeOptimizers({ optimizer: sgd, lrScheduler: { scheduler, interval: 'step', frequency: 3 } }).default!.lrScheduler).toMatchObject({ interval: 'step', frequency: 3 });
  });

  it('keeps the names of a record', () => {
    const g = new SGD([['p', p]], { lr: 0.1 });
    const d = new Adam([['p', p]]);
    expect(Object.keys(normalizeOptimizers({ generator: { optimizer: g }, discriminator: { optimizer: d } }))).toEqual(['generator', 'discriminator']);
  });

  it('refuses what a trainer cannot use, saying what to change', () => {
    const sgd = new SGD([['p', p]], { lr: 0.1 });
    expect(() => normalizeOptimizers({})).toThrow(ModuleError);
    expect(() => normalizeOptimizers({ a: { optimizer: sgd }, b: { optimizer: sgd } })).toThrow(/the same optimizer is also named a/);
    expect(() => normalizeOptimizers({ optimizer: sgd, lrScheduler: { scheduler: new ReduceLROnPlateau(sgd) } })).toThrow(/set monitor/);
    expect(() => normalizeOptimizers({ optimizer: sgd, lrScheduler: { scheduler: new StepLR(sgd, { stepSize: 1 }), frequency: 0 } })).toThrow(/frequency must be an integer >= 1/);
    expect(() => normalizeOptimizers(42 as never)).toThrow(/must return an Optimizer/);
  });
});
