import { type DType, isTensor, numel, type Tensor, type TypedArrayOf } from '../../state/index.js';
import type { Collated } from './collate.js';
import { checkIndex, type Dataset } from './dataset.js';
import { type BatchDType, batchArray, batchDTypeOf, copyInto, dtypeOfArray, type NumericArray } from './dtypes.js';
import { CollateError, DataConfigError } from './errors.js';
import { dispose, TfTensor, tfTensor } from './tf.js';

/** A column of a {@link TensorDataset}: its first dimension indexes the samples. */
export type Column = Tensor | TfTensor | NumericArray;
/** The columns of a {@link TensorDataset}: a tuple (samples are tuples) or a record (samples are objects). */
export type Columns = readonly Column[] | { readonly [name: string]: Column };

type DTypeOfArray<A> = A extends Float32Array
  ? 'float32'
  : A extends Float64Array
    ? 'float64'
    : A extends Int32Array
      ? 'int32'
      : A extends Int16Array
        ? 'int16'
        : A extends Int8Array
          ? 'int8'
          : A extends Uint8Array | Uint8ClampedArray
            ? 'uint8'
            : A extends Uint16Array
              ? 'uint16'
              : A extends Uint32Array
                ? 'uint32'
                : A extends BigInt64Array
                  ? 'int64'
                  : 'uint64';

/** What one row of a column is: a kindling `Tensor` view of the row (shape `[]` for a one-dimensional column). */
export type RowOf<C> = C extends Tensor<infer D>
  ? Tensor<D>
  : C extends TfTensor
    ? Tensor<'float32' | 'int32' | 'bool'>
    : Tensor<DTypeOfArray<C>>;

/** The sample type of a TensorDataset over columns `C`. */
export type TensorSample<C extends Columns> = { -readonly [K in keyof C]: RowOf<C[K]> };

interface HostColumn {
  readonly name: string;
  readonly dtype: DType;
  readonly rowShape: readonly number[];
  readonly rowSize: number;
  readonly data: NumericArray;
  readonly length: number;
}

/**
 * A dataset over columns that share their first dimension, like torch's `TensorDataset`: sample `i` holds row `i` of
 * every column as a kindling `Tensor` that views the column's memory (no copy). Columns are kindling `Tensor`s,
 * typed arrays (one value per sample) or tfjs tensors; a tfjs tensor is read once into host memory when the dataset
 * is made, so the dataset holds no tfjs tensors and disposing the original is up to its owner.
 *
 * `new TensorDataset([images, labels])` gives `[image, label]` samples; `new TensorDataset({ image: images, label:
 * labels })` gives `{ image, label }` samples.
 */
export class TensorDataset<const C extends Columns> implements Dataset<TensorSample<C>> {
  readonly length: number;
  private readonly columns: readonly HostColumn[];
  private readonly tuple: boolean;

  constructor(columns: C) {
    this.tuple = Array.isArray(columns);
    const entries = Object.entries(columns) as [string, Column][];
    if (entries.length === 0) throw new DataConfigError('TensorDataset needs at least one column');
    this.columns = entries.map(([name, column]) => hostColumn(this.tuple ? `[${name}]` : name, column));
    const first = this.columns[0]!;
    for (const c of this.columns) {
      if (c.length !== first.length) {
        throw new DataConfigError(
          `TensorDataset: column ${c.name} has ${c.length} rows, column ${first.name} has ${first.length}; every column needs one row per sample`,
        );
      }
    }
    this.length = first.length;
  }

  /**
   * The batch of `indices`, gathered column by column straight into the batch buffers: the same tensors as
   * `defaultCollate` of the samples, without making a sample object per row.
   */
  getBatch(indices: Int32Array): Collated<TensorSample<C>> {
    for (let k = 0; k < indices.length; k++) checkIndex(indices[k]!, this.length, 'TensorDataset.getBatch');
    const made: TfTensor[] = [];
    try {
      for (const c of this.columns) made.push(gatherColumn(c, indices));
    } catch (error) {
      dispose(made);
      throw error;
    }
    if (this.tuple) return made as unknown as Collated<TensorSample<C>>;
    const batch: Record<string, TfTensor> = {};
    this.columns.forEach((c, k) => (batch[c.name] = made[k]!));
    return batch as Collated<TensorSample<C>>;
  }

  get(index: number): TensorSample<C> {
    checkIndex(index, this.length, 'TensorDataset.get');
    const rows = this.columns.map((c) => rowView(c, index));
    if (this.tuple) return rows as unknown as TensorSample<C>;
    const sample: Record<string, Tensor> = {};
    this.columns.forEach((c, k) => (sample[c.name] = rows[k]!));
    return sample as TensorSample<C>;
  }
}

/** Column `c`'s rows at `indices` (already checked) as one batch tensor. */
function gatherColumn(c: HostColumn, indices: Int32Array): TfTensor {
  const dtype: BatchDType | undefined = batchDTypeOf(c.dtype);
  const field = c.name;
  if (dtype === undefined) {
    throw new CollateError(0, indices[0], field, `Tensor<${c.dtype}>[${c.rowShape.join(', ')}]: convert ${c.dtype} to float32 first`);
  }
  const size = c.rowSize;
  const out = batchArray(dtype, indices.length * size);
  const source = c.data;
  // Same element type (or a widening one): plain copies; otherwise copyInto checks that each value fits int32.
  if (isDirectCopy(source, out)) {
    if (size === 1) for (let k = 0; k < indices.length; k++) out[k] = source[indices[k]!] as number;
    else {
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        out.set(source.subarray(i * size, (i + 1) * size) as ArrayLike<number>, k * size);
      }
    }
  } else {
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k]!;
      const bad = copyInto(out, k * size, source.subarray(i * size, (i + 1) * size));
      if (bad !== undefined) throw new CollateError(k, i, field, `value ${bad} does not fit int32 (batches hold int32 integers)`);
    }
  }
  return tfTensor(out, [indices.length, ...c.rowShape], dtype);
}

/** Whether every value of `source` converts exactly by assignment into `out`'s element type. */
function isDirectCopy(source: NumericArray, out: Float32Array | Int32Array | Uint8Array): boolean {
  if (source.constructor === out.constructor) return true;
  if (out instanceof Float32Array) return source instanceof Float64Array;
  return out instanceof Int32Array && (source instanceof Uint8Array || source instanceof Uint8ClampedArray || source instanceof Int8Array || source instanceof Int16Array || source instanceof Uint16Array);
}

function rowView(c: HostColumn, index: number): Tensor {
  const start = index * c.rowSize;
  return { dtype: c.dtype, shape: c.rowShape, data: c.data.subarray(start, start + c.rowSize) as TypedArrayOf<DType> };
}

function hostColumn(name: string, column: Column): HostColumn {
  let dtype: DType;
  let shape: readonly number[];
  let data: NumericArray;
  if (column instanceof TfTensor) {
    if (column.dtype !== 'float32' && column.dtype !== 'int32' && column.dtype !== 'bool') {
      throw new DataConfigError(`TensorDataset: column ${name} is a tfjs ${column.dtype} tensor; use float32, int32 or bool`);
    }
    dtype = column.dtype;
    shape = column.shape;
    const values = column.dataSync();
    data = column.dtype === 'bool' ? Uint8Array.from(values as Uint8Array) : (values.slice() as NumericArray);
  } else if (isTensor(column)) {
    ({ dtype, shape } = column);
    data = column.data as NumericArray;
  } else if (ArrayBuffer.isView(column) && dtypeOfArray(column) !== undefined) {
    dtype = dtypeOfArray(column)!;
    shape = [column.length];
    data = column;
  } else {
    throw new DataConfigError(`TensorDataset: column ${name} is not a Tensor, a typed array or a tfjs tensor`);
  }
  if (shape.length === 0) throw new DataConfigError(`TensorDataset: column ${name} is a scalar; columns need a first dimension of samples`);
  const rowShape = Object.freeze(shape.slice(1));
  return { name, dtype, rowShape, rowSize: numel(rowShape), data, length: shape[0]! };
}
