/**
 * Helpers that keep tfjs memory flat. tfjs frees a tensor only when it is disposed; `tf.tidy(fn)` disposes every
 * tensor `fn` made except the ones it returns, and never touches variables. kindling's math runs inside `tf.tidy` and
 * writes results into variables with `assign`, so a training step leaves the tensor count where it found it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors.js';

/** The number of tfjs tensors alive now (variables included). */
export function liveTensorCount(): number {
  return tf.memory().numTensors;
}

/** Sets `record[key]` to `next` and disposes the tensor it replaces (unless that is `next` itself). */
export function replaceTensor<K extends string>(record: Record<K, tf.Tensor>, key: K, next: tf.Tensor): void {
  const previous = record[key];
  record[key] = next;
  if (previous !== undefined && previous !== next) previous.dispose();
}

/** Disposes every tensor held by a record (as `tf.variableGrads` returns), leaving the record empty. */
export function disposeTensors(record: Record<string, tf.Tensor>): void {
  for (const key of Object.keys(record)) {
    record[key]?.dispose();
    delete record[key];
  }
}

/**
 * Runs `fn` and throws {@link EngineError} if it changed the number of live tensors by anything but `allowed`
 * (e.g. `1` for a function that returns one new tensor). For tests and for debugging a leak.
 */
export function expectNoTensorLeak<T>(what: string, fn: () => T, allowed = 0): T {
  const before = liveTensorCount();
  const result = fn();
  const grown = liveTensorCount() - before;
  if (grown !== allowed) {
    throw new EngineError(`${what}: the live tfjs tensor count changed by ${grown} (expected ${allowed}); a tensor was not disposed`);
  }
  return result;
}
