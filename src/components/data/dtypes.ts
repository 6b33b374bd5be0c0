import type { DType } from '../../state/index.js';
import type { TfDataType } from './tf.js';

/** Typed arrays a dataset column or a sample field may be. */
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The element types of tfjs tensors that batches hold. */
export type BatchDType = Extract<TfDataType, 'float32' | 'int32' | 'bool'>;

/** The kindling dtype a typed array holds (bool is never inferred from a Uint8Array). */
export function dtypeOfArray(data: NumericArray): DType | undefined {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/**
 * The tfjs dtype a kindling dtype is batched as: floats become float32 (tfjs has no float64), integers int32 (values
 * outside int32 are refused when copied), bool stays bool. Half-precision dtypes have no tfjs counterpart here.
 */
export function batchDTypeOf(dtype: DType): BatchDType | undefined {
  switch (dtype) {
    case 'float32':
    case 'float64':
      return 'float32';
    case 'bool':
      return 'bool';
    case 'float16':
    case 'bfloat16':
      return undefined;
    default:
      return 'int32';
  }
}

/** A typed array for `length` elements of a batch dtype. */
export function batchArray(dtype: BatchDType, length: number): Float32Array | Int32Array | Uint8Array {
  return dtype === 'float32' ? new Float32Array(length) : dtype === 'int32' ? new Int32Array(length) : new Uint8Array(length);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Copies `source` into `target` at `offset`, converting to the target's element type. Returns the first value that
 * does not fit an int32 target, or undefined when all did (float targets take any value).
 */
export function copyInto(target: Float32Array | Int32Array | Uint8Array, offset: number, source: NumericArray): number | bigint | undefined {
  if (source instanceof BigInt64Array || source instanceof BigUint64Array) {
    for (let i = 0; i < source.length; i++) {
      const v = source[i]!;
      if (target instanceof Int32Array && (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX))) return v;
      target[offset + i] = Number(v);
    }
    return undefined;
  }
  if (target instanceof Int32Array && (source instanceof Uint32Array || source instanceof Float32Array || source instanceof Float64Array)) {
    for (let i = 0; i < source.length; i++) if (source[i]! > INT32_MAX || source[i]! < INT32_MIN) return source[i];
  }
  target.set(source, offset);
  return undefined;
}
