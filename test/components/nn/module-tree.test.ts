/**
 * Module structure: parameters, buffers and submodules found from fields, with torch's dotted names and order (own
 * tensors first, then children), modes, freezing, and gradients keyed by dotted name.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/components/engine/index.js';
import { Buffer, Module, ModuleError, type OptimizersConfig, Parameter, valueAndGrads } from '../../../src/components/nn/index.js';

class Affine extends Module {
  weight: Parameter;
  bias: Parameter;
  constructor(w: number[], b: number) {
    super();
    this.weight = new Parameter(tf.tensor1d(w), { nameHint: 'affine.weight' });
    this.bias = new Parameter(tf.scalar(b));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.mul(x, this.weight.variable), this.bias.variable);
  }
  trainingStep(): tf.Scalar {
    throw new Error('not used');
  }
  configureOptimizers(): OptimizersConfig {
    throw new Error('not used');
  }
}

class Net extends Module {
  scale = new Parameter(tf.scalar(2));
  first = new Affine([1, 2], 0.5);
  layers = [new Affine([3, 4], 1), new Affine([5, 6], 2)];
  blocks = { head: new Affine([7, 8], 3) };
  counts = new Buffer(tf.zeros([2]));
  trainingStep(): tf.Scalar {
    throw new Error('not used');
  }
  configureOptimizers(): OptimizersConfig {
    throw new Error('not used');
  }
}

describe('Module structure', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('names parameters as torch does: own first, then submodules, arrays by index', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'first.weight',
      'first.bias',
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'blocks.head.weight',
      'blocks.head.bias',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['counts']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'first', 'layers.0', 'layers.1', 'blocks.head']);
    expect(net.parameters()[1]).toBe(net.first.weight);
    net.dispose();
  });

  it('gives every tfjs variable a unique name that is not the dotted name', () => {
    const a = new Net();
    const b = new Net();
    const names = [...a.parameters(), ...b.parameters()].map((p) => p.variable.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('first.weight');
    expect(a.first.weight.variable.name).toMatch(/^kindling\/affine\.weight_\d+$/);
    a.dispose();
    b.dispose();
  });

  it('lists a shared parameter once, under its first name', () => {
    const net = new Net();
    net.layers[1]!.weight.dispose();
    net.layers[1]!.weight = net.layers[0]!.weight;
    expect(net.namedParameters().map(([n]) => n)).not.toContain('layers.1.weight');
    net.dispose();
  });

  it('train/eval reach every submodule; freeze/unfreeze toggle trainable and the mode', () => {
    const net = new Net();
    net.eval();
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    net.train();
    expect(net.layers[1]!.training).toBe(true);
    net.freeze();
    expect(net.parameters().every((p) => !p.trainable)).toBe(true);
    expect(net.training).toBe(false);
    expect(net.trainableVariables()).toEqual([]);
    expect(() => valueAndGrads(net, () => tf.sum(net.scale.variable))).toThrow(ModuleError);
    net.unfreeze();
    expect(net.trainableVariables()).toHaveLength(9);
    expect(net.training).toBe(true);
    net.dispose();
  });

  it('valueAndGrads keys gradients by dotted name, only for parameters the loss reaches', () => {
    const net = new Net();
    net.first.bias.trainable = false;
    const x = tf.tensor1d([1, -1]);
    const { value, grads } = valueAndGrads(net, () => tf.sum(tf.mul(net.scale.variable, net.first.forward(x))) as tf.Scalar);
    expect(Object.keys(grads).sort()).toEqual(['first.weight', 'scale']);
    // d/dw sum(s·(x·w + b)) = s·x; d/ds = sum(x·w + b) = (1 - 2) + 2·0.5
    expect(Array.from(grads['first.weight']!.dataSync())).toEqual([2, -2]);
    expect(grads.scale!.dataSync()[0]).toBe(0);
    expect(value.dataSync()[0]).toBe(0);
    tf.dispose([value, x, ...Object.values(grads)]);
    net.dispose();
  });

  it('log forwards to an attached trainer and is a no-op without one', () => {
    const net = new Net();
    const seen: [string, number | tf.Tensor][] = [];
    net.log('loss', 1);
    net.attachTrainer({ log: (name, value) => seen.push([name, value]), currentEpoch: 0, globalStep: 0 });
    net.log('loss', 2, { progBar: true });
    net.attachTrainer(undefined);
    net.log('loss', 3);
    expect(seen).toEqual([['loss', 2]]);
    net.dispose();
  });
});

describe('Parameter names in tfjs', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('skips a tfjs variable name that is already taken (e.g. by a second copy of kindling)', () => {
    const probe = new Parameter(tf.scalar(0), { nameHint: 'taken' });
    const next = Number(/_(\d+)$/.exec(probe.variable.name)![1]) + 1;
    const squatter = tf.variable(tf.scalar(1), false, `kindling/taken_${next}`);
    const p = new Parameter(tf.scalar(2), { nameHint: 'taken' });
    expect(p.variable.name).toBe(`kindling/taken_${next + 1}`);
    tf.dispose([squatter]);
    probe.dispose();
    p.dispose();
  });
});
