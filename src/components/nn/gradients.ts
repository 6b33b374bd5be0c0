/**
 * Gradients of a module's loss, keyed by parameter dotted name (`fc1.weight`). tfjs keys its gradients by variable
 * name, which must be unique in the process and so is not the dotted name; this maps one to the other.
 */
import * as tf from '@tensorflow/tfjs-core';
import { requireGradients } from '../engine/gradients.js';
import type { GradientMap } from '../optim/functional/gradient-map.js';
import { ModuleError } from './errors.js';
import type { Layer } from './layer.js';

export interface ValueAndGrads {
  /** The value of `f` (the caller disposes it). */
  readonly value: tf.Scalar;
  /** One gradient per trainable parameter that `f` depends on (the caller disposes them). */
  readonly grads: GradientMap;
}

/**
 * Runs `f` and differentiates it with respect to the module's trainable parameters. A parameter `f` does not depend
 * on gets no entry (as torch leaves its `grad` None, so optimizers skip it). Throws {@link ModuleError} when the
 * module has no trainable parameter, and EngineError when `initEngine()` was not called (no gradients registered).
 */
export function valueAndGrads(module: Layer, f: () => tf.Scalar): ValueAndGrads {
  const named = module.namedParameters().filter(([, p]) => p.trainable);
  if (named.length === 0) {
    throw new ModuleError(`${module.constructor.name} has no trainable parameters to differentiate (are they all frozen?); call unfreeze() or add parameters`);
  }
  requireGradients();
  const { value, grads } = tf.variableGrads(f, named.map(([, p]) => p.variable));
  const out: GradientMap = {};
  for (const [name, p] of named) {
    const g = grads[p.variable.name];
    if (g !== undefined) out[name] = g;
  }
  return { value, grads: out };
}
