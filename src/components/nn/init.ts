/**
 * torch's default initialisations, drawn from a kindling {@link Generator} (never from tfjs's global seed), so the same
 * seed builds the same model. The values differ from torch's (a different generator); the distributions are torch's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator } from '../rng/default.js';
import type { Generator } from '../rng/generator.js';

function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A float32 tensor of U(low, high) values. */
export function uniformInit(shape: readonly number[], low: number, high: number, generator: Generator = defaultGenerator()): tf.Tensor {
  return tf.tensor(generator.fillUniform(new Float32Array(numel(shape)), low, high), [...shape], 'float32');
}

/** A float32 tensor of N(mean, std²) values. */
export function normalInit(shape: readonly number[], mean = 0, std = 1, generator: Generator = defaultGenerator()): tf.Tensor {
  const values = generator.fillNormal(new Float64Array(numel(shape)), mean, std);
  return tf.tensor(Float32Array.from(values), [...shape], 'float32');
}

/**
 * torch's `kaiming_uniform_(w, a=√5)` for a weight whose fan-in is `fanIn` (Linear's default): the bound
 * gain·√(3/fanIn) with gain √(2/(1+a²)) is 1/√fanIn.
 */
export function linearWeightBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}
