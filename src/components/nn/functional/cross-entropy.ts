/**
 * Cross entropy from logits and integer class targets, as torch's `F.cross_entropy`: `logits` is `[N, C]` (or `[C]`
 * with a scalar target), `target` holds class indices (int32) of shape `[N]` (or `[]`). Options as torch's:
 * - `reduction`: `'mean'` divides by the summed weight of the targets that count (their number without `weight`);
 * - `ignoreIndex` (default -100): targets equal to it add nothing and are left out of the mean;
 * - `labelSmoothing` ε in [0, 1]: the loss becomes `(1 - ε)·nll + ε·(mean over classes of -log p)`, reduced as torch
 *   reduces it;
 * - `weight`: a `[C]` tensor of per-class weights.
 * Targets outside `[0, C)` that are not `ignoreIndex` are refused, as torch refuses them. Probability targets
 * (torch's float `target`) are not supported.
 */
import * as tf from '@tensorflow/tfjs-core';
import { checkReduction, LossError, type Reduction, shapeText } from './reduction.js';

export interface CrossEntropyOptions {
  readonly reduction?: Reduction;
  readonly ignoreIndex?: number;
  readonly labelSmoothing?: number;
  readonly weight?: tf.Tensor;
}

const LOSS = 'crossEntropy';

function checkInputs(logits: tf.Tensor, target: tf.Tensor, weight: tf.Tensor | undefined, ignoreIndex: number): void {
  if (logits.rank !== 1 && logits.rank !== 2) {
    throw new LossError(`${LOSS}: logits must be [N, C] or [C], got ${shapeText(logits.shape)}`);
  }
  const classes = logits.shape[logits.rank - 1]!;
  const wanted = logits.shape.slice(0, -1);
  if (target.dtype !== 'int32') throw new LossError(`${LOSS}: target must hold int32 class indices, got ${target.dtype}`);
  if (target.shape.length !== wanted.length || target.shape.some((d, i) => d !== wanted[i])) {
    throw new LossError(`${LOSS}: target shape ${shapeText(target.shape)} must be ${shapeText(wanted)} for logits ${shapeText(logits.shape)}`);
  }
  if (weight !== undefined && (weight.rank !== 1 || weight.shape[0] !== classes)) {
    throw new LossError(`${LOSS}: weight must be [${classes}] (one per class), got ${shapeText(weight.shape)}`);
  }
  const ids = target.dataSync();
  const bad = ids.findIndex((id) => id !== ignoreIndex && (id < 0 || id >= classes));
  if (bad >= 0) throw new LossError(`${LOSS}: target ${ids[bad]} at index ${bad} is out of bounds for ${classes} classes`);
}

export function crossEntropy(logits: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions = {}): tf.Tensor {
  const reduction = checkReduction(LOSS, options.reduction ?? 'mean');
  const ignoreIndex = options.ignoreIndex ?? -100;
  const smoothing = options.labelSmoothing ?? 0;
  const { weight } = options;
  if (!(smoothing >= 0 && smoothing <= 1)) throw new LossError(`${LOSS}: labelSmoothing must be in [0, 1], got ${smoothing}`);
  checkInputs(logits, target, weight, ignoreIndex);
  const classes = logits.shape[logits.rank - 1]!;
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits, -1);
    const counts = tf.cast(tf.notEqual(target, ignoreIndex), 'float32');
    const safeTarget = tf.where(tf.notEqual(target, ignoreIndex), target, tf.zerosLike(target));
    const picked = tf.sum(tf.mul(tf.oneHot(safeTarget, classes), logp), -1);
    // Each target's weight: its class weight (1 without `weight`), 0 for an ignored target.
    const targetWeight = weight === undefined ? counts : tf.mul(tf.gather(weight, safeTarget), counts);
    const weighted = weight === undefined ? logp : tf.mul(logp, weight);
    // The smoothing term is already class-weighted; a target's own weight scales only its nll term.
    const smooth = smoothing === 0 ? undefined : tf.neg(tf.sum(weighted, -1));
    const perTarget = (nllScale: tf.Tensor, smoothScale: tf.Tensor): tf.Tensor => {
      const nll = tf.neg(tf.mul(picked, nllScale));
      return smooth === undefined ? nll : tf.add(tf.mul(nll, 1 - smoothing), tf.mul(tf.mul(smooth, smoothScale), smoothing / classes));
    };
    if (reduction === 'none') return perTarget(targetWeight, counts);
    if (reduction === 'sum') return tf.sum(perTarget(targetWeight, counts));
    // The mean divides by the total weight, which does not depend on the logits. Each target's share is computed
    // first, so that with every target ignored the loss is NaN (0/0) while the gradient is 0, both as in torch.
    const total = tf.sum(targetWeight);
    const share = (w: tf.Tensor) => tf.where(tf.equal(w, 0), tf.zerosLike(w), tf.div(w, total));
    const mean = tf.sum(perTarget(share(targetWeight), share(counts)));
    return tf.add(mean, tf.where(tf.equal(total, 0), tf.scalar(Number.NaN), tf.scalar(0)));
  });
}
