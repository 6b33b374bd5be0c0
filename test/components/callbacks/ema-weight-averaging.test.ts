/** EMAWeightAveraging: torch's EMA numerics (recorded fixture), update schedule, validation swap, checkpoint hooks. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AVERAGED_WEIGHTS_KEY, CURRENT_MODEL_STATE_KEY, EMAWeightAveraging } from '../../../src/components/callbacks/ema-weight-averaging.js';
import { fromTfTensor } from '../../../src/components/engine/convert.js';
import { initEngine } from '../../../src/components/engine/index.js';
import { Module, type OptimizersConfig, Parameter } from '../../../src/components/nn/index.js';
import { isTensor, type Tensor } from '../../../src/state/tensor.js';
import { FakeTrainer } from './support/fake-trainer.js';

class Net extends Module {
  w: Parameter;
  constructor(values: number[], shape: [number, number]) {
    super();
    this.w = new Parameter(tf.tensor2d(values, shape));
  }
  trainingStep(): tf.Scalar {
    throw new Error('not used');
  }
  configureOptimizers(): OptimizersConfig {
    throw new Error('not used');
  }
}

/** A module whose state is `{ w }`, as a module whose state holds its parameters dumps it; records what it loads. */
class TreeNet extends Net {
  loaded: unknown[] = [];
  override loadStateDict(state: never): { missingKeys: string[]; unexpectedKeys: string[] } {
    this.loaded.push(state);
    return { missingKeys: [], unexpectedKeys: [] };
  }
}

interface Fixture {
  readonly cases: { decay: number; shape: [number, number]; weights: number[][]; averaged: number[][] }[];
}
const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/ema.json'), 'utf8')) as Fixture;

const values = (t: tf.Tensor | undefined) => Array.from(t!.dataSync());
const set = (net: Net, v: number[]) => net.w.assign(tf.tensor2d(v, net.w.shape as [number, number]));

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('EMAWeightAveraging numerics', () => {
  it.each(fixture.cases.map((c) => [c.decay, c] as const))('matches torch lerp(ema, w, 1 - decay) for decay %s', (decay, c) => {
    const net = new Net(c.weights[0]!, c.shape);
    const ema = new EMAWeightAveraging({ decay });
    c.weights.forEach((w, i) => {
      set(net, w);
      ema.update(net);
      const got = values(ema.averagedValue('w'));
      const want = c.averaged[i]!;
      got.forEach((g, j) => expect(Math.abs(g - want[j]!)).toBeLessThanOrEqual(Math.abs(want[j]!) * 2 ** -22));
    });
    ema.dispose();
  });
});

describe('EMAWeightAveraging schedule and hooks', () => {
  it("updates by Lightning's should_update: every N steps from a start step, epochs from a start epoch", () => {
    const ema = new EMAWeightAveraging({ updateEveryNSteps: 2, updateStartingAtStep: 4, updateStartingAtEpoch: 1 });
    expect([0, 2, 3, 4, 5, 6].map((step) => ema.shouldUpdate({ step }))).toEqual([false, false, false, true, false, true]);
    expect([0, 1, 2].map((epoch) => ema.shouldUpdate({ epoch }))).toEqual([false, true, true]);
  });

  it('averages after optimizer steps, validates with the average, and ends training with it', () => {
    const net = new Net([0, 0], [1, 2]);
    const ema = new EMAWeightAveraging({ decay: 0.5 });
    const trainer = new FakeTrainer();
    ema.setup(trainer, net);
    for (const [step, w] of [[1, [2, 4]], [2, [4, 8]]] as const) {
      set(net, [...w]);
      trainer.globalStep = step;
      ema.onTrainBatchEnd(trainer, net);
      ema.onTrainBatchEnd(trainer, net);
    }
    expect(ema.nAveraged).toBe(2);
    expect(ema.latestUpdateStep).toBe(2);
    expect(values(ema.averagedValue('w'))).toEqual([3, 6]);
    ema.onValidationEpochStart(trainer, net);
    expect(values(net.w.variable)).toEqual([3, 6]);
    ema.onValidationEpochEnd(trainer, net);
    expect(values(net.w.variable)).toEqual([4, 8]);
    ema.onTrainEnd(trainer, net);
    expect(values(net.w.variable)).toEqual([3, 6]);
    ema.dispose();
  });

  it('saves the average as the module weights and the current ones as currentModelState, and restores both', () => {
    const net = new Net([1, 1], [1, 2]);
    const ema = new EMAWeightAveraging({ decay: 0.5 });
    const trainer = new FakeTrainer();
    ema.setup(trainer, net);
    ema.update(net);
    set(net, [3, 5]);
    ema.update(net);
    const current = fromTfTensor(net.w.variable);
    const checkpoint: Record<string, unknown> = { module: { w: current } };
    ema.onSaveCheckpoint(trainer, net, checkpoint);
    expect(checkpoint[CURRENT_MODEL_STATE_KEY]).toEqual({ w: current });
    const averaged = (checkpoint['module'] as { w: Tensor }).w;
    expect(Array.from(averaged.data as Float32Array)).toEqual([2, 3]);
    expect(checkpoint[AVERAGED_WEIGHTS_KEY]).toBeUndefined();

    const fresh = new TreeNet([0, 0], [1, 2]);
    const restored = new EMAWeightAveraging({ decay: 0.5 });
    restored.setup(trainer, fresh);
    restored.loadStateDict(ema.stateDict());
    restored.onLoadCheckpoint(trainer, fresh, checkpoint);
    expect(fresh.loaded).toEqual([{ w: current }]);
    expect(values(restored.averagedValue('w'))).toEqual([2, 3]);
    expect(restored.stateDict()).toEqual({ latestUpdateStep: -1, latestUpdateEpoch: -1, nAveraged: 2 });
    ema.dispose();
    restored.dispose();
  });

  it('puts averaged parameters the module section does not hold under averagedWeights, and reads them back', () => {
    const net = new Net([1, 2], [1, 2]);
    const ema = new EMAWeightAveraging();
    const trainer = new FakeTrainer();
    ema.setup(trainer, net);
    const checkpoint: Record<string, unknown> = { module: {} };
    ema.onSaveCheckpoint(trainer, net, checkpoint);
    const rest = checkpoint[AVERAGED_WEIGHTS_KEY] as Record<string, unknown>;
    expect(Object.keys(rest)).toEqual(['w']);
    expect(isTensor(rest['w'])).toBe(true);
    const other = new EMAWeightAveraging();
    other.setup(trainer, new Net([0, 0], [1, 2]));
    other.onLoadCheckpoint(trainer, new Net([0, 0], [1, 2]), checkpoint);
    expect(values(other.averagedValue('w'))).toEqual([1, 2]);
    ema.dispose();
    other.dispose();
  });

  it('refuses a checkpoint without averaged weights for a parameter, before changing anything', () => {
    const net = new Net([1, 2], [1, 2]);
    const ema = new EMAWeightAveraging();
    ema.setup(new FakeTrainer(), net);
    expect(() => ema.onLoadCheckpoint(new FakeTrainer(), net, { module: {}, [CURRENT_MODEL_STATE_KEY]: {} })).toThrow(/no averaged weights for w/);
    expect(values(ema.averagedValue('w'))).toEqual([1, 2]);
    ema.dispose();
  });

  it('leaks no tfjs tensors over updates and swaps', () => {
    const net = new Net([1, 2], [1, 2]);
    const ema = new EMAWeightAveraging({ decay: 0.9 });
    const trainer = new FakeTrainer();
    ema.setup(trainer, net);
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 5; step++) {
      trainer.globalStep = step;
      ema.onTrainBatchEnd(trainer, net);
      ema.onValidationEpochStart(trainer, net);
      ema.onValidationEpochEnd(trainer, net);
    }
    expect(tf.memory().numTensors).toBe(before);
    ema.dispose();
  });
});
