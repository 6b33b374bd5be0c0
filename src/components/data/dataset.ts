import type { Collated } from './collate.js';
import { DataConfigError } from './errors.js';

/**
 * A map-style dataset: `length` samples, sample `i` from `get(i)` (which may return a Promise, e.g. for data read from
 * disk). Indices are integers in [0, length). A DataLoader asks for each index it needs, in the sampler's order.
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T | Promise<T>;
  /**
   * Optional fast path (like torch's `__getitems__`): the batch of `indices`, exactly what
   * `defaultCollate(indices.map(get))` would give. A DataLoader with the default collate uses it when present.
   */
  getBatch?(indices: Int32Array): Collated<T> | Promise<Collated<T>>;
}

/** The sample type of a dataset. */
export type SampleOf<D> = D extends Dataset<infer T> ? T : never;

/** Throws unless `index` is an integer in [0, length). */
export function checkIndex(index: number, length: number, what: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${what}: index ${index} is out of range for ${length} samples`);
  }
}

/** A dataset over an array of samples (the array is not copied). */
export class ArrayDataset<T> implements Dataset<T> {
  constructor(readonly items: readonly T[]) {}

  get length(): number {
    return this.items.length;
  }

  get(index: number): T {
    checkIndex(index, this.items.length, 'ArrayDataset.get');
    return this.items[index] as T;
  }
}

/** The samples of `dataset` at `indices`, in that order. Batched fetches go to the dataset's `getBatch` if it has one. */
export class Subset<T> implements Dataset<T> {
  readonly indices: Int32Array;
  readonly getBatch?: (indices: Int32Array) => Collated<T> | Promise<Collated<T>>;

  constructor(
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      checkIndex(indices[k]!, dataset.length, `Subset (position ${k})`);
      this.indices[k] = indices[k]!;
    }
    const batched = dataset.getBatch;
    if (batched !== undefined) {
      this.getBatch = (positions) => {
        const mapped = new Int32Array(positions.length);
        for (let k = 0; k < positions.length; k++) {
          checkIndex(positions[k]!, this.indices.length, 'Subset.getBatch');
          mapped[k] = this.indices[positions[k]!]!;
        }
        return batched.call(dataset, mapped);
      };
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T | Promise<T> {
    checkIndex(index, this.indices.length, 'Subset.get');
    return this.dataset.get(this.indices[index]!);
  }
}

/** Several datasets one after another: index `i` of the whole is index `i - offset` of the dataset it falls in. */
export class ConcatDataset<T> implements Dataset<T> {
  /** `ends[k]`: one past the last index of `datasets[k]`. */
  private readonly ends: number[];

  constructor(readonly datasets: readonly Dataset<T>[]) {
    if (datasets.length === 0) throw new DataConfigError('ConcatDataset needs at least one dataset');
    let total = 0;
    this.ends = datasets.map((d) => (total += d.length));
  }

  get length(): number {
    return this.ends[this.ends.length - 1]!;
  }

  get(index: number): T | Promise<T> {
    checkIndex(index, this.length, 'ConcatDataset.get');
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index < this.ends[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return this.datasets[lo]!.get(index - (lo === 0 ? 0 : this.ends[lo - 1]!));
  }
}
