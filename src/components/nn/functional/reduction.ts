/** How a loss turns per-element losses into its result, as torch's `reduction` argument. */
import * as tf from '@tensorflow/tfjs-core';

/** `'mean'` (the default): the mean over all elements; `'sum'`: their sum; `'none'`: the per-element losses. */
export type Reduction = 'mean' | 'sum' | 'none';

export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** Raised for inputs a loss cannot take: the message names the loss, the argument and both shapes or values. */
export class LossError extends Error {
  override readonly name = 'LossError';
}

export function checkReduction(loss: string, reduction: unknown): Reduction {
  if (REDUCTIONS.includes(reduction as Reduction)) return reduction as Reduction;
  throw new LossError(`${loss}: reduction must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(reduction)}`);
}

export function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  return reduction === 'mean' ? tf.mean(loss) : reduction === 'sum' ? tf.sum(loss) : loss;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function checkSameShape(loss: string, input: tf.Tensor, target: tf.Tensor): void {
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new LossError(`${loss}: target shape ${shapeText(target.shape)} must equal input shape ${shapeText(input.shape)}`);
  }
}
