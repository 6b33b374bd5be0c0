/**
 * mseLoss, crossEntropy and binaryCrossEntropyWithLogits against torch 1.13 (values and input gradients;
 * test/fixtures/torch/losses.json from scripts/python/reference_losses.py), on both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { binaryCrossEntropyWithLogits, crossEntropy, LossError, mseLoss, type Reduction } from '../../../src/components/nn/functional/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

interface LossCase {
  readonly loss: 'mseLoss' | 'crossEntropy' | 'binaryCrossEntropyWithLogits';
  readonly name: string;
  readonly input: FixtureTensor;
  readonly target: FixtureTensor;
  readonly options: { reduction?: Reduction; ignoreIndex?: number; labelSmoothing?: number };
  readonly weight?: FixtureTensor;
  readonly posWeight?: FixtureTensor;
  readonly weights: FixtureTensor;
  readonly value: FixtureTensor;
  readonly grad: FixtureTensor;
}

const fixture = loadFixture<Fixture & { cases: LossCase[] }>('losses.json');

function lossFor(c: LossCase, target: tf.Tensor, weight?: tf.Tensor, posWeight?: tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  switch (c.loss) {
    case 'mseLoss':
      return (x) => mseLoss(x, target, c.options);
    case 'crossEntropy':
      return (x) => crossEntropy(x, target, { ...c.options, ...(weight ? { weight } : {}) });
    default:
      return (x) => binaryCrossEntropyWithLogits(x, target, { ...c.options, ...(weight ? { weight } : {}), ...(posWeight ? { posWeight } : {}) });
  }
}

describe.each<BackendName>(['cpu', 'wasm'])('losses on %s match torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it.each(fixture.cases.map((c) => [`${c.loss} ${c.name}`, c] as const))('%s', (_, c) => {
    const before = liveTensorCount();
    tf.tidy(() => {
      const x = tfTensorOf(c.input);
      const target = tfTensorOf(c.target);
      const weight = c.weight && tfTensorOf(c.weight);
      const posWeight = c.posWeight && tfTensorOf(c.posWeight);
      const loss = lossFor(c, target, weight, posWeight);
      const w = tfTensorOf(c.weights);
      expectMatches(`${c.loss} ${c.name} value`, loss(x), c.value);
      const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(loss(input), w)))(x);
      expectMatches(`${c.loss} ${c.name} d/dinput`, grad, c.grad);
    });
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });
});

describe('loss input checks', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('refuses mismatched shapes, bad targets and bad options, saying which', () => {
    const logits = tf.zeros([2, 3]);
    expect(() => mseLoss(tf.zeros([2, 3]), tf.zeros([3]))).toThrow(new LossError('mseLoss: target shape [3] must equal input shape [2, 3]'));
    expect(() => crossEntropy(logits, tf.tensor1d([0, 3], 'int32'))).toThrow(new LossError('crossEntropy: target 3 at index 1 is out of bounds for 3 classes'));
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1]))).toThrow(new LossError('crossEntropy: target must hold int32 class indices, got float32'));
    expect(() => crossEntropy(logits, tf.tensor1d([0], 'int32'))).toThrow(new LossError('crossEntropy: target shape [1] must be [2] for logits [2, 3]'));
    expect(() => crossEntropy(tf.zeros([1, 2, 3]), tf.tensor1d([0], 'int32'))).toThrow(new LossError('crossEntropy: logits must be [N, C] or [C], got [1, 2, 3]'));
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1], 'int32'), { weight: tf.ones([2]) })).toThrow(new LossError('crossEntropy: weight must be [3] (one per class), got [2]'));
    expect(() => crossEntropy(logits, tf.tensor1d([0, 1], 'int32'), { labelSmoothing: 1.5 })).toThrow(new LossError('crossEntropy: labelSmoothing must be in [0, 1], got 1.5'));
    expect(() => mseLoss(logits, logits, { reduction: 'avg' as Reduction })).toThrow(new LossError(`mseLoss: reduction must be one of 'mean', 'sum', 'none', got "avg"`));
    expect(() => binaryCrossEntropyWithLogits(logits, tf.zeros([3, 2]))).toThrow(new LossError('binaryCrossEntropyWithLogits: target shape [3, 2] must equal input shape [2, 3]'));
  });
});
