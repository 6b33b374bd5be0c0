/**
 * Named gradients, as `tf.variableGrads` returns them: variable (parameter) name → gradient tensor. Clipping and
 * precision plugins replace entries with new tensors and dispose the ones they replace, so the map stays the one
 * owner of its tensors.
 */
import * as tf from '@tensorflow/tfjs-core';

export type GradientMap = Record<string, tf.Tensor>;

/** Raised when gradients are not finite where they must be; `names` lists the gradients holding NaN or ±Infinity. */
export class NonFiniteGradientError extends Error {
  override readonly name = 'NonFiniteGradientError';
  constructor(
    message: string,
    readonly names: readonly string[],
  ) {
    super(message);
  }
}

/** The names of the gradients that hold a NaN or an infinity, in the map's order (one synchronous read each). */
export function nonFiniteNames(grads: GradientMap): string[] {
  return Object.keys(grads).filter((name) => tf.tidy(() => tf.all(tf.isFinite(grads[name]!)).dataSync()[0] === 0));
}
