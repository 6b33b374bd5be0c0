import type { Collate } from './collate.js';
import type { Dataset } from './dataset.js';
import { DataConfigError, DatasetError } from './errors.js';
import type { EpochBatches } from './samplers/batch-sampler.js';
import { dispose } from './tf.js';

/** What an epoch run needs from its loader. */
export interface RunHost<T, B> {
  readonly dataset: Dataset<T>;
  readonly collate: Collate<T, B>;
  /** The dataset's batched fetch, when the default collate is in use (see {@link Dataset.getBatch}). */
  readonly getBatch: ((indices: Int32Array) => B | Promise<B>) | undefined;
  readonly prefetch: number;
  readonly disposeBatches: boolean;
  owns(run: object): boolean;
  release(run: object): void;
  /** The position after a batch was handed out, or after the epoch ended (`epoch + 1`, 0). */
  record(epoch: number, batchesYielded: number): void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** A batch being prepared: ready (synchronous datasets), failed, or pending (asynchronous ones). */
type Prepared<B> = { readonly value: B } | { readonly error: unknown } | { readonly pending: Promise<B> };

/**
 * One pass over the rest of an epoch: batches `start … batches.length - 1` of `epoch`, in order. The loader's
 * position moves when a batch is handed out (so it counts batches the consumer has, never batches prepared ahead), and
 * to the next epoch when the consumer asks past the last batch. `next()` calls are serialised, so even callers that do
 * not await get batches in order. A batch that is ready synchronously is handed out without extra promise hops.
 */
export class EpochRun<T, B> implements AsyncIterableIterator<B> {
  private cursor: number;
  private ended = false;
  /** The batch handed out last, disposed when the next is asked for (with `disposeBatches`). */
  private current: B | undefined;
  /** Batches being prepared ahead, by batch number. */
  private readonly ahead = new Map<number, Prepared<B>>();
  /** The last call still running, if any: later calls wait for it. */
  private tail: Promise<unknown> | undefined;

  constructor(
    private readonly host: RunHost<T, B>,
    private readonly epoch: number,
    start: number,
    private readonly batches: EpochBatches,
  ) {
    this.cursor = start;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<B>> {
    return this.serialise(() => this.step());
  }

  /** Ends the run early (`break`): disposes what it prepared; the loader keeps its position. */
  return(): Promise<IteratorResult<B>> {
    return this.serialise(() => this.end().then(() => DONE));
  }

  private serialise(action: () => IteratorResult<B> | Promise<IteratorResult<B>>): Promise<IteratorResult<B>> {
    let result: Promise<IteratorResult<B>>;
    if (this.tail === undefined) {
      try {
        const r = action();
        if (!(r instanceof Promise)) return Promise.resolve(r);
        result = r;
      } catch (error) {
        return Promise.reject(error);
      }
    } else {
      result = this.tail.then(action);
    }
    const tail = result.catch(() => undefined);
    this.tail = tail;
    void tail.then(() => {
      if (this.tail === tail) this.tail = undefined;
    });
    return result;
  }

  private step(): IteratorResult<B> | Promise<IteratorResult<B>> {
    if (this.ended) return DONE;
    if (!this.host.owns(this)) return this.end().then(() => Promise.reject(replaced()));
    this.disposeCurrent();
    if (this.cursor >= this.batches.length) {
      this.host.record(this.epoch + 1, 0);
      return this.end().then(() => DONE);
    }
    const batchNumber = this.cursor;
    const prepared = this.take(batchNumber);
    const last = Math.min(this.batches.length, batchNumber + 1 + this.host.prefetch);
    for (let b = batchNumber + 1; b < last; b++) if (!this.ahead.has(b)) this.ahead.set(b, this.start(b));
    if ('value' in prepared) return this.handOut(batchNumber, prepared.value);
    if ('error' in prepared) return this.end().then(() => Promise.reject(prepared.error));
    return prepared.pending.then(
      (batch) => {
        if (this.host.owns(this)) return this.handOut(batchNumber, batch);
        this.disposeBatch(batch);
        return this.end().then(() => Promise.reject(replaced()));
      },
      (error: unknown) => this.end().then(() => Promise.reject(error)),
    );
  }

  private handOut(batchNumber: number, batch: B): IteratorResult<B> {
    this.cursor = batchNumber + 1;
    this.host.record(this.epoch, this.cursor);
    this.current = batch;
    return { done: false, value: batch };
  }

  private take(batch: number): Prepared<B> {
    const prepared = this.ahead.get(batch);
    if (prepared === undefined) return this.start(batch);
    this.ahead.delete(batch);
    return prepared;
  }

  private start(batch: number): Prepared<B> {
    try {
      const prepared = this.prepare(batch);
      if (!(prepared instanceof Promise)) return { value: prepared };
      // A batch prepared ahead may fail before anyone waits for it; its error is reported when it is asked for.
      prepared.catch(() => undefined);
      return { pending: prepared };
    } catch (error) {
      return { error };
    }
  }

  private prepare(batch: number): B | Promise<B> {
    const indices = this.batches.at(batch);
    if (this.host.getBatch !== undefined) return this.host.getBatch(indices);
    const samples: (T | Promise<T>)[] = new Array(indices.length);
    let async = false;
    for (let k = 0; k < indices.length; k++) {
      const index = indices[k]!;
      let sample: T | Promise<T>;
      try {
        sample = this.host.dataset.get(index);
      } catch (error) {
        throw this.datasetError(index, batch, error);
      }
      if (sample instanceof Promise) {
        async = true;
        sample = sample.catch((error: unknown) => {
          throw this.datasetError(index, batch, error);
        });
      }
      samples[k] = sample;
    }
    if (!async) return this.host.collate(samples as T[], indices);
    return Promise.all(samples).then((resolved) => this.host.collate(resolved, indices));
  }

  private datasetError(index: number, batch: number, cause: unknown): DatasetError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new DatasetError(`dataset.get(${index}) failed (batch ${batch} of epoch ${this.epoch}): ${reason}`, { cause });
  }

  private disposeCurrent(): void {
    if (this.current !== undefined) this.disposeBatch(this.current);
    this.current = undefined;
  }

  private disposeBatch(batch: B): void {
    if (this.host.disposeBatches) dispose(batch as Parameters<typeof dispose>[0]);
  }

  /** Stops the run: disposes the current batch and every batch prepared ahead, and gives up the position. */
  private async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.disposeCurrent();
    const ahead = [...this.ahead.values()];
    this.ahead.clear();
    // Batches prepared ahead were never handed out, so they are disposed whatever disposeBatches says.
    const disposeAhead = (b: B) => dispose(b as Parameters<typeof dispose>[0]);
    for (const p of ahead) if ('value' in p) disposeAhead(p.value);
    await Promise.all(ahead.map((p) => ('pending' in p ? p.pending.then(disposeAhead, () => undefined) : undefined)));
    this.host.release(this);
  }
}

function replaced(): DataConfigError {
  return new DataConfigError('DataLoader: this iteration was replaced by a newer one over the same loader');
}
