/**
 * Optimizer update rules and gradient clipping as functions on tfjs tensors, with torch 1.13's numerics: the
 * optimizer classes (parameter groups, state keyed by parameter name) wrap these. Each update writes the parameter
 * and its state variables with `assign` inside `tf.tidy`, so a step leaves the tensor count unchanged.
 */
export { type AdamMoments, type AdamOptions, ADAM_DEFAULTS, ADAMW_DEFAULTS, adamStep, adamwStep, checkAdamOptions, initAdamMoments } from './adam.js';
export { type ClipGradNormOptions, clipGradNorm } from './clip-grad-norm.js';
export { clipGradValue } from './clip-grad-value.js';
export { type GradientMap, NonFiniteGradientError, nonFiniteNames } from './gradient-map.js';
export { checkSgdOptions, initSgdState, type SgdOptions, type SgdParamState, sgdStep } from './sgd.js';
