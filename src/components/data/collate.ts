import { describeTensor, isTensor, numel, sameShape, type Tensor } from '../../state/index.js';
import { isPlainObject } from '../../runtime/index.js';
import { type BatchDType, batchArray, batchDTypeOf, copyInto, dtypeOfArray, type NumericArray } from './dtypes.js';
import { CollateError } from './errors.js';
import { stack, TfTensor, tfTensor } from './tf.js';

/**
 * The batch type the default collate makes from samples of type `T`: numbers, booleans, typed arrays, kindling
 * `Tensor`s and tfjs tensors become one tfjs tensor with a leading batch dimension; strings a `string[]`; tuples and
 * objects keep their structure, each field collated on its own.
 */
export type Collated<T> = T extends number | boolean | NumericArray | Tensor | TfTensor
  ? TfTensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never;

/** Turns the samples of one batch into the batch. `indices` are their dataset indices (for messages). */
export type Collate<T, B> = (samples: readonly T[], indices: ArrayLike<number>) => B;

/**
 * kindling's default collate, following torch's `default_collate`:
 *
 * - numbers → float32 `[B]` (a JS number does not say whether it is an integer: use an integer typed array or an
 *   int32 `Tensor` for labels); booleans → bool `[B]`; strings → `string[]`;
 * - a typed array of length L → `[B, L]`; a kindling `Tensor` of shape S → `[B, ...S]`; floats batch as float32,
 *   integers as int32 (a value outside int32 is an error), bool as bool;
 * - a tfjs tensor of shape S → `tf.stack` → `[B, ...S]`, same dtype;
 * - tuples (arrays) → a tuple of the collated positions; plain objects → an object of the collated fields.
 *
 * Every sample must have the structure of the first: a different kind, key set, length, dtype or shape is a
 * {@link CollateError} naming the sample and the field. The result holds new tfjs tensors; the samples' own tfjs
 * tensors are not disposed (they belong to the dataset).
 */
export function defaultCollate<T>(samples: readonly T[], indices?: ArrayLike<number>): Collated<T> {
  if (samples.length === 0) throw new CollateError(0, undefined, '', 'a batch needs at least one sample');
  const created: TfTensor[] = [];
  try {
    return collateField(samples as readonly unknown[], '', { indices, created }) as Collated<T>;
  } catch (error) {
    for (const t of created) t.dispose();
    throw error;
  }
}

interface Context {
  readonly indices: ArrayLike<number> | undefined;
  /** Tensors made so far, disposed if a later field fails. */
  readonly created: TfTensor[];
}

function fail(ctx: Context, sample: number, field: string, problem: string): never {
  throw new CollateError(sample, ctx.indices?.[sample], field, problem);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof TfTensor) return 'a tfjs tensor';
  if (isTensor(value)) return describeTensor(value);
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (isPlainObject(value)) return 'an object';
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'} instance` : `a ${typeof value}`;
}

function collateField(values: readonly unknown[], field: string, ctx: Context): unknown {
  const first = values[0];
  if (typeof first === 'number') return made(ctx, tfTensor(Float32Array.from(expectAll(values, field, ctx, 'number')), [values.length], 'float32'));
  if (typeof first === 'boolean') {
    const flags = expectAll<boolean>(values, field, ctx, 'boolean');
    return made(ctx, tfTensor(Uint8Array.from(flags, (b) => (b ? 1 : 0)), [values.length], 'bool'));
  }
  if (typeof first === 'string') return [...expectAll<string>(values, field, ctx, 'string')];
  if (first instanceof TfTensor) return stackTfTensors(values, field, ctx);
  if (isTensor(first)) return stackHostTensors(values, field, ctx);
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) return stackArrays(values, field, ctx);
  if (Array.isArray(first)) {
    values.forEach((v, k) => {
      if (!Array.isArray(v) || v.length !== first.length) fail(ctx, k, field, `${kindOf(v)}, expected an array of length ${first.length} as in sample 0`);
    });
    return first.map((_, p) => collateField(values.map((v) => (v as unknown[])[p]), `${field}[${p}]`, ctx));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    values.forEach((v, k) => {
      if (!isPlainObject(v)) fail(ctx, k, field, `${kindOf(v)}, expected an object as in sample 0`);
      const own = Object.keys(v);
      const extra = own.filter((key) => !Object.hasOwn(first, key));
      const missing = keys.filter((key) => !Object.hasOwn(v, key));
      if (extra.length > 0 || missing.length > 0) {
        const parts = [missing.length > 0 ? `lacks ${missing.join(', ')}` : '', extra.length > 0 ? `has extra ${extra.join(', ')}` : ''];
        fail(ctx, k, field, `keys differ from sample 0: ${parts.filter(Boolean).join(' and ')}`);
      }
    });
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = collateField(values.map((v) => (v as Record<string, unknown>)[key]), field === '' ? key : `${field}.${key}`, ctx);
    return out;
  }
  return fail(ctx, 0, field, `${kindOf(first)} cannot be collated (use numbers, booleans, strings, typed arrays, Tensors, tfjs tensors, or arrays and objects of them)`);
}

function made(ctx: Context, t: TfTensor): TfTensor {
  ctx.created.push(t);
  return t;
}

function expectAll<V>(values: readonly unknown[], field: string, ctx: Context, type: string): V[] {
  values.forEach((v, k) => {
    if (typeof v !== type) fail(ctx, k, field, `${kindOf(v)}, expected a ${type} as in sample 0`);
  });
  return values as V[];
}

function stackTfTensors(values: readonly unknown[], field: string, ctx: Context): TfTensor {
  const first = values[0] as TfTensor;
  values.forEach((v, k) => {
    if (!(v instanceof TfTensor)) fail(ctx, k, field, `${kindOf(v)}, expected a tfjs tensor as in sample 0`);
    if (v.isDisposed) fail(ctx, k, field, 'the tfjs tensor is disposed');
    if (v.dtype !== first.dtype || !sameShape(v.shape, first.shape)) {
      fail(ctx, k, field, `tfjs tensor ${v.dtype}[${v.shape.join(', ')}], expected ${first.dtype}[${first.shape.join(', ')}] as in sample 0`);
    }
  });
  return made(ctx, stack(values as TfTensor[]));
}

/** Rows of one dtype and shape, copied into one batch array. */
function gather(
  rows: readonly NumericArray[],
  dtype: BatchDType,
  rowShape: readonly number[],
  field: string,
  ctx: Context,
): TfTensor {
  const size = numel(rowShape);
  const data = batchArray(dtype, size * rows.length);
  rows.forEach((row, k) => {
    const bad = copyInto(data, k * size, row);
    if (bad !== undefined) fail(ctx, k, field, `value ${bad} does not fit int32 (batches hold int32 integers)`);
  });
  return made(ctx, tfTensor(data, [rows.length, ...rowShape], dtype));
}

function stackHostTensors(values: readonly unknown[], field: string, ctx: Context): TfTensor {
  const first = values[0] as Tensor;
  const dtype = batchDTypeOf(first.dtype);
  if (dtype === undefined) fail(ctx, 0, field, `${describeTensor(first)}: convert ${first.dtype} to float32 first`);
  values.forEach((v, k) => {
    if (!isTensor(v)) fail(ctx, k, field, `${kindOf(v)}, expected ${describeTensor(first)} as in sample 0`);
    if (v.dtype !== first.dtype || !sameShape(v.shape, first.shape)) fail(ctx, k, field, `${describeTensor(v)}, expected ${describeTensor(first)} as in sample 0`);
  });
  return gather(values.map((v) => (v as Tensor).data as NumericArray), dtype, first.shape, field, ctx);
}

function stackArrays(values: readonly unknown[], field: string, ctx: Context): TfTensor {
  const first = values[0] as NumericArray;
  const source = dtypeOfArray(first);
  if (source === undefined) fail(ctx, 0, field, `${kindOf(first)} cannot be collated`);
  values.forEach((v, k) => {
    if (!ArrayBuffer.isView(v) || v.constructor !== first.constructor || (v as NumericArray).length !== first.length) {
      fail(ctx, k, field, `${kindOf(v)}${ArrayBuffer.isView(v) ? ` of length ${(v as NumericArray).length}` : ''}, expected a ${first.constructor.name} of length ${first.length} as in sample 0`);
    }
  });
  return gather(values as NumericArray[], batchDTypeOf(source)!, [first.length], field, ctx);
}
