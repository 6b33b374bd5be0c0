/**
 * torch's `clip_grad_norm_` over a named gradient map: the total norm of all gradients taken together (as if
 * concatenated into one vector), of order `normType` (any p > 0, or Infinity), then every gradient is multiplied by
 * `min(maxNorm / (total + 1e-6), 1)`. Like torch, it multiplies even when the coefficient is 1, and a non-finite
 * total scales the gradients by it (giving NaN/0) unless `errorIfNonfinite` asks for an error instead.
 */
import * as tf from '@tensorflow/tfjs-core';
import { replaceTensor } from '../../engine/index.js';
import { type GradientMap, NonFiniteGradientError, nonFiniteNames } from './gradient-map.js';

export interface ClipGradNormOptions {
  /** The order of the norm: a number > 0, or `Infinity` for the largest absolute value. Default 2. */
  readonly normType?: number;
  /** Throw {@link NonFiniteGradientError} (and leave the gradients as they are) when the total norm is NaN or ±Inf. */
  readonly errorIfNonfinite?: boolean;
}

/** max |g|, but NaN when g holds a NaN (tfjs's max skips NaN; torch's propagates it). */
function maxAbs(g: tf.Tensor): tf.Tensor {
  return tf.where(tf.any(tf.isNaN(g)), tf.scalar(Number.NaN), tf.max(tf.abs(g)));
}

/** The p-norm of all elements (tfjs's `norm` takes only p = 1, 2 and ±Infinity). */
function pNorm(g: tf.Tensor, p: number): tf.Tensor {
  if (p === 1) return tf.sum(tf.abs(g));
  if (p === 2) return tf.sqrt(tf.sum(tf.square(g)));
  return tf.pow(tf.sum(tf.pow(tf.abs(g), p)), 1 / p);
}

function totalNorm(grads: tf.Tensor[], normType: number): tf.Scalar {
  if (normType === Number.POSITIVE_INFINITY) return maxAbs(tf.stack(grads.map(maxAbs))) as tf.Scalar;
  return pNorm(tf.stack(grads.map((g) => pNorm(g, normType))), normType) as tf.Scalar;
}

/** Clips the gradients in place (each entry is replaced and the old tensor disposed); returns the total norm. */
export function clipGradNorm(grads: GradientMap, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const normType = options.normType ?? 2;
  if (!(normType > 0)) throw new RangeError(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const names = Object.keys(grads);
  if (names.length === 0) return 0;
  const total = tf.tidy(() => totalNorm(names.map((n) => grads[n]!), normType));
  const value = total.dataSync()[0]!;
  if (options.errorIfNonfinite && !Number.isFinite(value)) {
    total.dispose();
    const bad = nonFiniteNames(grads);
    throw new NonFiniteGradientError(
      `clipGradNorm: the total gradient norm of order ${normType} is ${value}, so it cannot be clipped ` +
        `(non-finite gradients: ${bad.join(', ')}); pass errorIfNonfinite: false to scale by it anyway`,
      bad,
    );
  }
  const clipped = tf.tidy(() => {
    const coef = tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1);
    return names.map((n) => tf.mul(grads[n]!, coef));
  });
  total.dispose();
  names.forEach((n, i) => replaceTensor(grads, n, clipped[i]!));
  return value;
}
