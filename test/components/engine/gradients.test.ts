/**
 * Gradients of every tfjs op kindling builds on, on both backends, against PyTorch's autograd
 * (test/fixtures/torch/op-gradients.json, recorded by scripts/python/reference_ops.py). The pooling ops are here
 * for another reason too: their gradients are the ones kindling's gradient bundle takes from tfjs-core's source
 * rather than from the package entry, so they exercise the second copy's `instanceof Tensor` checks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

interface OpCase {
  readonly name: string;
  readonly inputs: (FixtureTensor & { readonly name: string })[];
  readonly weights: FixtureTensor[];
  readonly outputs: FixtureTensor[];
  readonly grads: Record<string, FixtureTensor>;
}

const fixture = loadFixture<Fixture & { cases: OpCase[] }>('op-gradients.json');

const SQRT1_2 = Math.SQRT1_2;
const GELU_TANH_C = Math.sqrt(2 / Math.PI);

/** The same ops as the Python script, written with tfjs. Each takes the case's inputs in order. */
const OPS: Record<string, (...x: tf.Tensor[]) => tf.Tensor | tf.Tensor[]> = {
  matMul: (a, b) => tf.matMul(a!, b!),
  matMulTransposeB: (x, w) => tf.matMul(x!, w!, false, true),
  addBroadcast: (a, b) => tf.add(a!, b!),
  subBroadcast: (a, b) => tf.sub(a!, b!),
  mulBroadcast: (a, b) => tf.mul(a!, b!),
  div: (a, b) => tf.div(a!, b!),
  relu: (x) => tf.relu(x!),
  geluErf: (x) => tf.mul(tf.mul(x!, 0.5), tf.add(1, tf.erf(tf.mul(x!, SQRT1_2)))),
  geluTanh: (x) => tf.mul(tf.mul(x!, 0.5), tf.add(1, tf.tanh(tf.mul(GELU_TANH_C, tf.add(x!, tf.mul(0.044715, tf.pow(x!, 3))))))),
  tanh: (x) => tf.tanh(x!),
  sigmoid: (x) => tf.sigmoid(x!),
  logSigmoid: (x) => tf.logSigmoid(x!),
  softplus: (x) => tf.softplus(x!),
  softmax: (x) => tf.softmax(x!, -1),
  logSoftmax: (x) => tf.logSoftmax(x!, -1),
  meanAll: (x) => tf.mean(x!),
  meanAxis0: (x) => tf.mean(x!, 0),
  sumAll: (x) => tf.sum(x!),
  sumAxis1KeepDims: (x) => tf.sum(x!, 1, true),
  gather: (w, i) => tf.gather(w!, i!),
  moments: (x) => {
    const { mean, variance } = tf.moments(x!, -1, true);
    return [mean, variance];
  },
  layerNorm: (x, gamma, beta) => {
    const { mean, variance } = tf.moments(x!, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x!, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma!), beta!);
  },
  rsqrt: (x) => tf.rsqrt(x!),
  dropoutMask: (x, m) => tf.mul(tf.mul(x!, m!), 1 / (1 - 0.3)),
  square: (x) => tf.square(x!),
  sqrt: (x) => tf.sqrt(x!),
  exp: (x) => tf.exp(x!),
  log: (x) => tf.log(x!),
  abs: (x) => tf.abs(x!),
  neg: (x) => tf.neg(x!),
  maximum: (a, b) => tf.maximum(a!, b!),
  where: (c, a, b) => tf.where(tf.cast(c!, 'bool'), a!, b!),
  clipByValue: (x) => tf.clipByValue(x!, -0.5, 0.5),
  transposeReshape: (x) => tf.reshape(tf.transpose(x!), [2, 6]),
  maxPool: (x) => tf.maxPool(x! as tf.Tensor4D, 2, 2, 'valid'),
  avgPool: (x) => tf.avgPool(x! as tf.Tensor4D, 2, 2, 'valid'),
};

function asList(out: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(out) ? out : [out];
}

describe.each<BackendName>(['cpu', 'wasm'])('gradients on %s match torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it('covers every recorded case', () => {
    expect(Object.keys(OPS).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const before = liveTensorCount();
    tf.tidy(() => {
      const inputs = c.inputs.map(tfTensorOf);
      const weights = c.weights.map(tfTensorOf);
      const differentiable = c.inputs.flatMap((input, i) => (input.name in c.grads ? [i] : []));
      const loss = (...free: tf.Tensor[]) => {
        const args = inputs.map((x, i) => (differentiable.includes(i) ? free[differentiable.indexOf(i)]! : x));
        const outs = asList(OPS[c.name]!(...args));
        return tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, weights[k]!)))) as tf.Scalar;
      };
      const outputs = asList(OPS[c.name]!(...inputs));
      outputs.forEach((o, k) => expectMatches(`${c.name} output ${k}`, o, c.outputs[k]!));
      const grads = tf.grads(loss)(differentiable.map((i) => inputs[i]!));
      differentiable.forEach((i, k) => {
        const name = c.inputs[i]!.name;
        expect(grads[k], `${c.name}: d/d${name} is a tfjs Tensor`).toBeInstanceOf(tf.Tensor);
        expectMatches(`${c.name}: d/d${name}`, grads[k]!, c.grads[name]!);
      });
    });
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });

  it('tf.variableGrads gives a tfjs Tensor per variable, keyed by variable name', () => {
    const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, `w-${backend}`);
    const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(w)) as tf.Scalar, [w]);
    expect(Object.keys(grads)).toEqual([`w-${backend}`]);
    expect(grads[`w-${backend}`]).toBeInstanceOf(tf.Tensor);
    expect(w).toBeInstanceOf(tf.Variable);
    expect(Array.from(grads[`w-${backend}`]!.dataSync())).toEqual([0.5, 1, 1.5, 2]);
    tf.dispose([value, grads[`w-${backend}`]!, w]);
  });
});
