/**
 * Mean squared error, as torch's `F.mse_loss`: `(input - target)²`, reduced. Unlike torch, which broadcasts a target
 * of another shape with a warning, kindling refuses one: that broadcast is almost always a bug.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, checkSameShape, type Reduction, reduce } from './reduction.js';

export interface MseLossOptions {
  readonly reduction?: Reduction;
}

export function mseLoss(input: tf.Tensor, target: tf.Tensor, options: MseLossOptions = {}): tf.Tensor {
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  checkSameShape('mseLoss', input, target);
  return tf.tidy(() => reduce(tf.squaredDifference(input, target), reduction));
}
