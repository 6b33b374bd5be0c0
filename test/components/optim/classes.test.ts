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
import { Adam, AdamW, type Optimizer, OptimizerError, SGD } from '../../../src/components/optim/index.js';
import { Generator } from '../../../src/components/rng/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

type GroupOptions = Record<string, unknown> & { params: string[] };
interface RecordedState {
  step?: number;
  momentumBuffer?: FixtureTensor | null;
  expAvg?: FixtureTensor;
  expAvgSq?: FixtureTensor;
  maxExpAvgSq?: FixtureTensor;
}
interface Run {
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  name: string;
  groups: GroupOptions[];
  steps: { params: Record<string, FixtureTensor>; state: Record<string, RecordedState> }[];
}
const fixture = loadFixture<Fixture & { initial: Record<string, FixtureTensor>; grads: Record<string, FixtureTensor>[]; runs: Run[] }>('optimizers.json');
const CLASSES = { SGD, Adam, AdamW } as const;

/** The run's optimizer over fresh parameters: one group from named parameters, or the recorded groups. */
export function buildRun(run: Run): { params: Record<string, Parameter>; optimizer: Optimizer } {
  const params = Object.fromEntries(Object.entries(fixture.initial).map(([n, t]) => [n, Parameter.fromInit(() => tfTensorOf(t))]));
  const named = Object.entries(params) as [string, Parameter][];
  const Class = CLASSES[run.optimizer] as new (params: unknown, options?: unknown) => Optimizer;
  const strip = ({ params: _, ...options }: GroupOptions) => options;
  const optimizer =
    run.groups.length === 1
      ? new Class(named, strip(run.groups[0]!))
      : new Class(run.groups.map((g) => ({ ...strip(g), params: g.params.map((n) => [n, params[n]!] as const) })));
  return { params, optimizer };
}

export function stepWith(optimizer: Optimizer, i: number): void {
  const grads = Object.fromEntries(Object.entries(fixture.grads[i]!).map(([n, t]) => [n, tfTensorOf(t)]));
  optimizer.step(grads);
  tf.dispose(Object.values(grads));
}

export function expectStep(run: Run, i: number, params: Record<string, Parameter>, optimizer: Optimizer): void {
  const recorded = run.steps[i]!;
  const at = `${run.optimizer} ${run.name} step ${i + 1}`;
  for (const [name, expected] of Object.entries(recorded.params)) expectMatches(`${at} ${name}`, params[name]!.variable, expected);
  const state = (optimizer as SGD | Adam).state as unknown as Record<string, Record<string, unknown>>;
  for (const [name, want] of Object.entries(recorded.state)) {
    const got = state[name]!;
    for (const [key, value] of Object.entries(want)) {
      if (key === 'step') expect(got.step, `${at} ${name}.step`).toBe(value);
      else if (value === null) expect(got[key], `${at} ${name}.${key}`).toBeNull();
      else expectMatches(`${at} ${name}.${key}`, (got[key] as Parameter).variable, value as FixtureTensor);
    }
    expect(Object.keys(got).sort(), `${at} ${name} state keys`).toEqual(Object.keys(want).sort());
  }
}

export { fixture as optimizerFixture, type Run as OptimizerRun };

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
    const optimizer = kind === 'SGD' ? new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9, nesterov: true }) : new CLASSES[kind](model.namedParameters(), { lr: 1e-2, amsgrad: true });
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
