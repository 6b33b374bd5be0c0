/**
 * The engine-agnostic numeric array carried in state trees. Tensor libraries convert to and from it at their
 * boundary; nothing in the state or checkpoint layers knows any tensor library.
 */

/** Element types a state tensor may hold. `bool` is stored one byte per element (0 or 1). */
export type DType =
  | 'float64'
  | 'float32'
  | 'float16'
  | 'bfloat16'
  | 'int64'
  | 'int32'
  | 'int16'
  | 'int8'
  | 'uint64'
  | 'uint32'
  | 'uint16'
  | 'uint8'
  | 'bool';

/** The typed array that backs each dtype. Half-precision dtypes are kept as raw 16-bit words. */
export interface DTypeArrays {
  float64: Float64Array;
  float32: Float32Array;
  float16: Uint16Array;
  bfloat16: Uint16Array;
  int64: BigInt64Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint64: BigUint64Array;
  uint32: Uint32Array;
  uint16: Uint16Array;
  uint8: Uint8Array;
  bool: Uint8Array;
}

export type TypedArrayOf<D extends DType> = DTypeArrays[D];
export type AnyTypedArray = DTypeArrays[DType];

/** A dense, row-major numeric array: `data.length` equals the product of `shape` (1 for a scalar, `shape = []`). */
export interface Tensor<D extends DType = DType> {
  readonly dtype: D;
  readonly shape: readonly number[];
  readonly data: TypedArrayOf<D>;
}

type ArrayCtor = {
  new (length: number): AnyTypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): AnyTypedArray;
  readonly BYTES_PER_ELEMENT: number;
};

const ARRAY_CTORS: { readonly [D in DType]: ArrayCtor } = {
  float64: Float64Array,
  float32: Float32Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint64: BigUint64Array,
  uint32: Uint32Array,
  uint16: Uint16Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

export const DTYPES: readonly DType[] = Object.keys(ARRAY_CTORS) as DType[];

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ARRAY_CTORS, value);
}

export function bytesPerElement(dtype: DType): number {
  return ARRAY_CTORS[dtype].BYTES_PER_ELEMENT;
}

/** Number of elements of a shape; `[]` (a scalar) has one. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function tensorByteLength(t: Tensor): number {
  return t.data.byteLength;
}

function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new RangeError(`Invalid tensor shape [${shape.join(', ')}]: every dimension must be a non-negative integer`);
    }
  }
}

/** Whether `data` is exactly the typed array class that backs `dtype`. */
export function isArrayOfDType(dtype: DType, data: unknown): boolean {
  return data instanceof ARRAY_CTORS[dtype] && data.constructor === ARRAY_CTORS[dtype];
}

/** A zero-filled tensor. */
export function zeros<D extends DType>(dtype: D, shape: readonly number[]): Tensor<D> {
  checkShape(shape);
  return { dtype, shape: [...shape], data: new ARRAY_CTORS[dtype](numel(shape)) as TypedArrayOf<D> };
}

/**
 * A tensor over the given values (copied). Numbers are accepted for 64-bit integer dtypes and converted to bigint.
 */
export function tensor<D extends DType>(
  dtype: D,
  shape: readonly number[],
  values: ArrayLike<number> | ArrayLike<bigint> | TypedArrayOf<D>,
): Tensor<D> {
  const t = zeros(dtype, shape);
  if (values.length !== t.data.length) {
    throw new RangeError(
      `tensor(${dtype}, [${shape.join(', ')}]) needs ${t.data.length} values, got ${values.length}`,
    );
  }
  const wide = dtype === 'int64' || dtype === 'uint64';
  const out = t.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < values.length; i++) {
    const v = (values as ArrayLike<number | bigint>)[i] as number | bigint;
    out[i] = wide ? BigInt(v) : Number(v);
  }
  return t;
}

/** A tensor that shares `data` (no copy). Throws when the array class or length does not fit dtype and shape. */
export function tensorView<D extends DType>(dtype: D, shape: readonly number[], data: TypedArrayOf<D>): Tensor<D> {
  checkShape(shape);
  if (!isArrayOfDType(dtype, data)) {
    throw new TypeError(`tensorView(${dtype}): data is a ${data.constructor.name}, expected ${ARRAY_CTORS[dtype].name}`);
  }
  if (data.length !== numel(shape)) {
    throw new RangeError(`tensorView(${dtype}, [${shape.join(', ')}]): data has ${data.length} elements`);
  }
  return { dtype, shape: [...shape], data };
}

/** A typed-array view of `dtype` over bytes (no copy). `byteOffset` must be aligned to the element size. */
export function typedArrayOver<D extends DType>(
  dtype: D,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): TypedArrayOf<D> {
  return new ARRAY_CTORS[dtype](buffer, byteOffset, length) as TypedArrayOf<D>;
}

/** A deep copy: same dtype and shape, fresh memory. */
export function cloneTensor<D extends DType>(t: Tensor<D>): Tensor<D> {
  return { dtype: t.dtype, shape: [...t.shape], data: t.data.slice() as TypedArrayOf<D> };
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Bit-for-bit equality: same dtype, same shape, same bytes. NaN equals NaN of the same payload and -0 differs from 0,
 * because exact resume is about bits, not numeric closeness.
 */
export function tensorEquals(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || !sameShape(a.shape, b.shape) || a.data.byteLength !== b.data.byteLength) return false;
  const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Whether a value has the structure of a Tensor: a known dtype, a valid shape, and a typed array of the right class
 * and length. This is the runtime check used on untrusted state.
 */
export function isTensor(value: unknown): value is Tensor {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { dtype?: unknown; shape?: unknown; data?: unknown };
  if (!isDType(v.dtype) || !Array.isArray(v.shape)) return false;
  if (!v.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return false;
  return isArrayOfDType(v.dtype, v.data) && (v.data as AnyTypedArray).length === numel(v.shape);
}

/** A short description such as `Tensor<float32>[2, 3]`, used in error messages and the CLI. */
export function describeTensor(t: Tensor): string {
  return `Tensor<${t.dtype}>[${t.shape.join(', ')}]`;
}

/**
 * The short form shape mismatches are reported in, as torch's "size mismatch" is: `float32[128,784]` (a scalar:
 * `float32[]`).
 */
export function tensorSignature(t: Pick<Tensor, 'dtype' | 'shape'>): string {
  return `${t.dtype}[${t.shape.join(',')}]`;
}
