/**
 * Losses built on tfjs ops, differentiable with `tf.grad`/`tf.variableGrads`, with torch's semantics and option
 * names in camelCase: {@link mseLoss}, {@link crossEntropy} (logits + integer targets) and
 * {@link binaryCrossEntropyWithLogits}. Each returns a new tensor (a scalar unless `reduction: 'none'`) and leaves no
 * intermediate tensor behind.
 */
export { type BinaryCrossEntropyWithLogitsOptions, binaryCrossEntropyWithLogits } from './binary-cross-entropy-with-logits.js';
export { type CrossEntropyOptions, crossEntropy } from './cross-entropy.js';
export { type MseLossOptions, mseLoss } from './mse-loss.js';
export { LossError, REDUCTIONS, type Reduction } from './reduction.js';
