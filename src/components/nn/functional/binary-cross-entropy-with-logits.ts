/**
 * Binary cross entropy from logits, as torch's `F.binary_cross_entropy_with_logits`:
 * `loss = (1 - t)·x + (1 + (posWeight - 1)·t)·log(1 + e^(-x))`, times `weight`, reduced. The log term is computed
 * as `-logSigmoid(x)`, which stays finite for large |x|. `target` has the input's shape and holds probabilities;
 * `weight` and `posWeight` broadcast against it (`posWeight` is usually `[C]`, one per class).
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

export interface BinaryCrossEntropyWithLogitsOptions {
  readonly reduction?: Reduction;
  readonly weight?: tf.Tensor;
  readonly posWeight?: tf.Tensor;
}

export function binaryCrossEntropyWithLogits(input: tf.Tensor, target: tf.Tensor, options: BinaryCrossEntropyWithLogitsOptions = {}): tf.Tensor {
  const reduction = checkReduction('binaryCrossEntropyWithLogits', options.reduction ?? 'mean');
  checkSameShape('binaryCrossEntropyWithLogits', input, target);
  const { weight, posWeight } = options;
  return tf.tidy(() => {
    const softplusNeg = tf.neg(tf.logSigmoid(input));
    const logWeight = posWeight === undefined ? undefined : tf.add(tf.mul(tf.sub(posWeight, 1), target), 1);
    let loss = tf.add(tf.mul(tf.sub(1, target), input), logWeight === undefined ? softplusNeg : tf.mul(logWeight, softplusNeg));
    if (weight !== undefined) loss = tf.mul(loss, weight);
    return reduce(loss, reduction);
  });
}
