import type { Generator } from '../rng/generator.js';
import { type Collate, type Collated, defaultCollate } from './collate.js';
import { DataLoaderBase } from './data-loader-base.js';
import type { Dataset } from './dataset.js';
import { EpochRun, type RunHost } from './epoch-run.js';
import { DataConfigError } from './errors.js';
import { BatchSampler } from './samplers/batch-sampler.js';
import { RandomSampler } from './samplers/random-sampler.js';
import { Sampler } from './samplers/sampler.js';
import { SequentialSampler } from './samplers/sequential-sampler.js';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). Not with `batchSampler`. */
  readonly batchSize?: number;
  /** Visit the dataset in a new random order each epoch (a {@link RandomSampler}). Not with `sampler`. */
  readonly shuffle?: boolean;
  /** Leave out the last batch of an epoch when it would be smaller than `batchSize`. */
  readonly dropLast?: boolean;
  /** The order of sample indices (default: sequential, or random with `shuffle`). */
  readonly sampler?: Sampler;
  /** Batches of indices, instead of `batchSize`/`shuffle`/`sampler`/`dropLast`. */
  readonly batchSampler?: BatchSampler;
  /** Turns a batch's samples into the batch (default {@link defaultCollate}). Must return new tensors. */
  readonly collate?: Collate<T, B>;
  /** The generator the shuffling sampler forks its stream from (default: kindling's default generator). */
  readonly generator?: Generator;
  /** How many batches to prepare ahead of the one being consumed (default 0). */
  readonly prefetch?: number;
  /**
   * Whether the loader disposes each batch's tfjs tensors when the next batch is asked for, or when the loop ends
   * (default true). With false, every batch handed out belongs to the consumer, who must dispose it.
   */
  readonly disposeBatches?: boolean;
}

/**
 * Iterates a dataset in batches, as torch's `DataLoader`, and can resume exactly where it stood.
 *
 * - `for await (const batch of loader)` yields the rest of the current epoch, then moves the loader to the next
 *   epoch. A loader is a cursor: a loop that stops early (`break`) leaves it where the consumer stopped, and the next
 *   loop continues from there. `setEpoch(e)` moves it to the start of epoch e.
 * - `stateDict()` (generated; see {@link DataLoaderBase}) is where it stands; after `loadStateDict(state)` the next
 *   batch is exactly the batch an uninterrupted loader would have yielded next. Batches prepared ahead by `prefetch`
 *   are not part of the position: they are prepared again after a restore.
 * - Batches hold tfjs tensors. By default a batch is valid until the next batch is asked for (or the loop ends): the
 *   loader then disposes it. Keep a tensor longer with `tf.clone`, or pass `disposeBatches: false` and dispose each
 *   batch yourself. Tensors in samples (from `dataset.get`) are the dataset's and are never disposed by the loader.
 */
export class DataLoader<T, B = Collated<T>> extends DataLoaderBase implements AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly prefetch: number;
  readonly disposeBatches: boolean;
  // Typed without the sample type, so that a DataLoader<T, B> is a DataLoader<unknown, B> (T only flows out).
  private readonly host: RunHost<unknown, B>;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    super(batchSamplerFor(dataset, options), dataset.length);
    this.dataset = dataset;
    this.prefetch = checkPrefetch(options.prefetch ?? 0);
    this.disposeBatches = options.disposeBatches ?? true;
    if (this.length === 0) {
      throw new DataConfigError(
        `DataLoader: ${this.batchSampler.sampler.length} samples in batches of ${this.batchSampler.batchSize} with dropLast leave no batch; use a smaller batchSize or dropLast: false`,
      );
    }
    const collate = options.collate ?? (defaultCollate as Collate<T, B>);
    this.host = {
      dataset,
      collate: collate as Collate<unknown, B>,
      getBatch:
        options.collate === undefined && typeof dataset.getBatch === 'function'
          ? (indices) => dataset.getBatch!(indices) as B | Promise<B>
          : undefined,
      prefetch: this.prefetch,
      disposeBatches: this.disposeBatches,
      owns: (run) => this.owns(run),
      release: (run) => this.release(run),
      record: (epoch, yielded) => this.record(epoch, yielded),
    };
  }

  /**
   * An iteration over the rest of the current epoch (all of it, at an epoch start). Starting one replaces an
   * iteration still running over this loader, whose next `next()` then fails.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<B> {
    const run = new EpochRun(this.host, this.epoch, this.batchesYielded, this.batchSampler.epochBatches(this.epoch));
    this.claim(run);
    return run;
  }
}

function checkPrefetch(prefetch: number): number {
  if (!Number.isSafeInteger(prefetch) || prefetch < 0) {
    throw new DataConfigError(`DataLoader: prefetch must be an integer ≥ 0, got ${prefetch}`);
  }
  return prefetch;
}

function batchSamplerFor<T, B>(dataset: Dataset<T>, options: DataLoaderOptions<T, B>): BatchSampler {
  const n = dataset.length;
  if (!Number.isSafeInteger(n) || n < 0) throw new DataConfigError(`DataLoader: dataset.length must be an integer ≥ 0, got ${n}`);
  if (n === 0) throw new DataConfigError('DataLoader: the dataset is empty');
  const { batchSize, shuffle, dropLast, sampler, batchSampler, generator } = options;
  if (batchSampler !== undefined) {
    const clashing = (['batchSize', 'shuffle', 'sampler', 'dropLast', 'generator'] as const).filter((k) => options[k] !== undefined);
    if (clashing.length > 0) {
      throw new DataConfigError(
        `DataLoader: batchSampler is mutually exclusive with batchSize, shuffle, sampler, dropLast and generator (got ${clashing.join(', ')})`,
      );
    }
    if (!(batchSampler instanceof BatchSampler)) throw new DataConfigError('DataLoader: batchSampler must be a kindling BatchSampler');
    return batchSampler;
  }
  if (shuffle === true && sampler !== undefined) {
    throw new DataConfigError('DataLoader: sampler is mutually exclusive with shuffle; shuffle with a RandomSampler instead');
  }
  if (generator !== undefined && shuffle !== true) {
    throw new DataConfigError('DataLoader: generator is only used with shuffle: true (a sampler brings its own stream)');
  }
  if (sampler !== undefined && !(sampler instanceof Sampler)) {
    throw new DataConfigError(
      'DataLoader: sampler must be a kindling Sampler, whose order is a function of the epoch (so that a resume is exact)',
    );
  }
  const chosen = sampler ?? (shuffle === true ? new RandomSampler(dataset, generator ? { generator } : {}) : new SequentialSampler(dataset));
  return new BatchSampler(chosen, { batchSize: batchSize ?? 1, ...(dropLast === undefined ? {} : { dropLast }) });
}
