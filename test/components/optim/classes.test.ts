/**
 * The optimizer classes against torch 1.13 trajectories (test/fixtures/torch/optimizers.json, recorded by
 * scripts/python/reference_optimizers.py): built from named parameters, or from two groups with different options,
 * stepped with gradients keyed by parameter name; after every step the parameters and the state keyed by parameter
 * name match torch within float32 tolerance (rel 1e-5), on both backends. Also: construction errors, and 200 steps
 * with a module leave the tfjs tensor count flat.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { crossEntropy } from '../../../src/components/nn/functional/index.js';
import { Linear, Module, type OptimizersConfig, Parameter, ReLU, Sequential, valueAndGrads } from '../../../src/components/nn/index.js';
import { clipGradNorm } from '../../../src/components/optim/functional/index.js';
import { Adam, AdamW, OptimizerError, SGD } from '../../../src/components/optim/index.js';
import { buildRun, expectStep, fixture, stepWith } from './support/trajectory.js';
import { Generator } from '../../../src/components/rng/index.js';

describe.each<BackendName>(['cpu', 'wasm'])('optimizer classes on %s match torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it.each(fixture.runs.map((r) => [`${r.optimizer} ${r.name}`, r] as const))('%s', (_, run) => {
    const before = liveTensorCount();
    const { params, optimizer } = buildRun(run);
    expect(optimizer.paramGroups.map((g) => g.params)).toEqual(run.groups.map((g) => g.params));
    for (let i = 0; i < fixture.grads.length; i++) {
      stepWith(optimizer, i);
      expectStep(run, i, params, optimizer);
    }
    optimizer.dispose();
    Object.values(params).forEach((p) => p.dispose());
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });
});

class Mlp extends Module {
  net = new Sequential(new Linear(8, 16, { generator: new Generator(1) }), new ReLU(), new Linear(16, 4, { generator: new Generator(2) }));
  trainingStep(batch: [tf.Tensor, tf.Tensor]): tf.Scalar {
    return crossEntropy(this.net.forward(batch[0]), batch[1]) as tf.Scalar;
  }
  configureOptimizers(): OptimizersConfig {
    return new AdamW(this.namedParameters(), { lr: 1e-2 });
  }
}

describe.each<BackendName>(['cpu', 'wasm'])('optimizer classes on %s', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it.each(['SGD', 'Adam', 'AdamW'] as const)('200 %s steps of a module leave tf.memory().numTensors flat', (kind) => {
    const model = new Mlp();
    const optimizer = kind === 'SGD' ? new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9, nesterov: true }) : new (kind === 'Adam' ? Adam : AdamW)(model.namedParameters(), { lr: 1e-2, amsgrad: true });
    const x = tf.tensor2d(new Generator(3).fillNormal(new Float32Array(32 * 8)), [32, 8]);
    const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 4), 'int32');
    const step = (): number => {
      const { value, grads } = valueAndGrads(model, () => model.trainingStep([x, y]));
      clipGradNorm(grads, 1);
      optimizer.step(grads);
      const loss = value.dataSync()[0]!;
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    const first = step();
    const after = tf.memory().numTensors;
    let last = first;
    for (let i = 1; i < 200; i++) last = step();
    expect(tf.memory().numTensors).toBe(after);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('rejects what torch rejects, naming the optimizer and the group', () => {
    const p = Parameter.fromInit(() => tf.zeros([2]));
    expect(() => new SGD([['p', p]])).toThrow(/SGD: param group 0 has no lr/);
    expect(() => new SGD([['p', p]], { lr: 0.1, nesterov: true })).toThrow(/nesterov momentum requires a momentum > 0/);
    expect(() => new Adam([['p', p]], { betas: [1, 0.9] })).toThrow(/Adam: invalid beta at index 0/);
    expect(() => new AdamW([['p', p]], { lr: -1 })).toThrow(/AdamW: invalid learning rate -1/);
    expect(() => new Adam([])).toThrow(OptimizerError);
    expect(() => new Adam([{ params: [['p', p]] }, { params: [['p', p]], lr: 0.1 }])).toThrow(/parameter p appears in more than one param group/);
    const adam = new Adam([['p', p]]);
    const wrong = tf.zeros([3]);
    expect(() => adam.step({ p: wrong })).toThrow(/the gradient of p is \[3\], the parameter \[2\]/);
    expect(adam.state).toEqual({});
    tf.dispose([wrong]);
    p.dispose();
  });

  it('a load checks the param groups against the live parameters and changes nothing when they differ', () => {
    const a = Parameter.fromInit(() => tf.ones([2]));
    const b = Parameter.fromInit(() => tf.ones([3]));
    const mine = new SGD([{ params: [['fc1.weight', a]] }, { params: [['fc1.bias', b]], lr: 0.01 }], { lr: 0.1 });
    const other = new SGD([{ params: [['fc1.weight', a]] }, { params: [['fc2.bias', b]], lr: 0.5 }], { lr: 0.1 });
    expect(() => mine.loadStateDict(other.stateDict())).toThrow(/SGD\.paramGroups\[1\]\.params: expected fc1\.bias, got fc2\.bias/);
    expect(mine.paramGroups[1]!.lr).toBe(0.01);
    const single = new SGD([['fc1.weight', a], ['fc1.bias', b]], { lr: 0.1 });
    expect(() => mine.loadStateDict(single.stateDict())).toThrow(/SGD\.paramGroups: expected 2 param group\(s\), as this optimizer has, got 1/);
    const same = new SGD([{ params: [['fc1.weight', a]] }, { params: [['fc1.bias', b]], lr: 0.2 }], { lr: 0.1 });
    mine.loadStateDict(same.stateDict());
    expect(mine.paramGroups[1]!.lr).toBe(0.2);
    a.dispose();
    b.dispose();
  });

  it('skips a parameter without a gradient, as torch skips grad None', () => {
    const a = Parameter.fromInit(() => tf.ones([2]));
    const b = Parameter.fromInit(() => tf.ones([2]));
    const sgd = new SGD([['a', a], ['b', b]], { lr: 0.5, momentum: 0.9 });
    const g = tf.ones([2]);
    sgd.step({ a: g });
    expect(Array.from(a.variable.dataSync())).toEqual([0.5, 0.5]);
    expect(Array.from(b.variable.dataSync())).toEqual([1, 1]);
    expect(Object.keys(sgd.state)).toEqual(['a']);
    sgd.dispose();
    tf.dispose([g]);
    a.dispose();
    b.dispose();
  });
});
