/**
 * The boundary between tfjs tensors and kindling's engine-free {@link Tensor} (the value state trees and checkpoints
 * carry). Both directions copy, keep every bit (NaN payloads, -0) and map dtypes one to one:
 *
 * | kindling  | tfjs      |
 * |-----------|-----------|
 * | `float32` | `float32` |
 * | `int32`   | `int32`   |
 * | `bool`    | `bool`    |
 *
 * Every other kindling dtype (float64, float16, bfloat16, int64, int16, int8, the unsigned ones) has no tfjs
 * counterpart that holds it exactly, and tfjs's `complex64` and `string` have no kindling one; converting them is an
 * {@link EngineError} that says so, rather than a silent cast.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type DType, describeTensor, type Tensor, tensorView } from '../../state/index.js';
import { EngineError } from './errors.js';

/** The kindling dtypes tfjs holds exactly. */
export type EngineDType = 'float32' | 'int32' | 'bool';
export const ENGINE_DTYPES: readonly EngineDType[] = ['float32', 'int32', 'bool'];

export function isEngineDType(dtype: DType): dtype is EngineDType {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/** A typed array owned by the caller: tfjs's cpu backend hands out its own storage, so reads are copied. */
function ownedCopy<D extends EngineDType>(dtype: D, values: tf.DataTypeMap[D]): Tensor<D>['data'] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(values as Float32Array) as Tensor<D>['data'];
    case 'int32':
      return new Int32Array(values as Int32Array) as Tensor<D>['data'];
    default:
      return new Uint8Array(values as Uint8Array) as Tensor<D>['data'];
  }
}

/**
 * A new tfjs tensor holding a copy of `t`. `what` names the value in errors (e.g. `fc1.weight`). Throws
 * {@link EngineError} for a dtype tfjs cannot hold, and for a `bool` tensor with a byte other than 0 or 1.
 */
export function toTfTensor(t: Tensor, what = 'tensor'): tf.Tensor {
  const { dtype } = t;
  if (!isEngineDType(dtype)) {
    throw new EngineError(
      `${what}: ${describeTensor(t)} cannot go to tfjs, which holds only ${ENGINE_DTYPES.join(', ')}; ` +
        `convert it to one of those first (e.g. float32)`,
    );
  }
  if (dtype === 'bool') {
    const bytes = t.data as Uint8Array;
    const bad = bytes.findIndex((b) => b > 1);
    if (bad >= 0) throw new EngineError(`${what}: bool element ${bad} is ${bytes[bad]}; a bool tensor holds only 0 and 1`);
  }
  // tfjs's cpu backend keeps the array it is given; copy so that later writes to `t` cannot reach the tfjs tensor.
  return tf.tensor(ownedCopy(dtype, t.data as tf.DataTypeMap[typeof dtype]), [...t.shape], dtype);
}

/** A kindling {@link Tensor} with a copy of the values of `x` (read synchronously). */
export function fromTfTensor(x: tf.Tensor, what = 'tensor'): Tensor<EngineDType> {
  const dtype = x.dtype;
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new EngineError(`${what}: a tfjs ${dtype} tensor has no kindling dtype; kindling takes ${ENGINE_DTYPES.join(', ')}`);
  }
  const values = x.dataSync<typeof dtype>();
  return tensorView(dtype, x.shape, ownedCopy(dtype, values as tf.DataTypeMap[typeof dtype]));
}
