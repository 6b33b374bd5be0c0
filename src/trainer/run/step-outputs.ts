/** Helpers for what steps return: the loss, and the tensors to keep alive for the batch-end hooks and then dispose. */
import * as tf from '@tensorflow/tfjs-core';
import type { StepOutput } from '../module-api.js';

/** The loss of a step output (`trainingStep` returns the scalar or `{ loss }`). */
export function lossOf(output: StepOutput, where: string): tf.Scalar {
  const loss = output instanceof tf.Tensor ? output : (output as { loss?: unknown } | null)?.loss;
  if (!(loss instanceof tf.Tensor) || loss.size !== 1) {
    throw new TypeError(`${where} must return a scalar loss tensor or { loss: scalar, … }, got ${describe(loss)}`);
  }
  return loss as tf.Scalar;
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  return value === undefined ? 'nothing' : typeof value;
}

/** The tensors an output holds (the output itself, or the values of its top-level keys). */
export function tensorsOf(output: unknown): tf.Tensor[] {
  if (output instanceof tf.Tensor) return [output];
  if (typeof output !== 'object' || output === null) return [];
  return Object.values(output).filter((v): v is tf.Tensor => v instanceof tf.Tensor);
}

/** Disposes the tensors an output holds (skipping those already disposed). */
export function disposeOutput(output: unknown): void {
  for (const t of tensorsOf(output)) if (!t.isDisposed) t.dispose();
}
