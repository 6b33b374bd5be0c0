import { persist, type StateIssue, stateful } from '../../state/index.js';
import { checkedState, checkInteger } from '../rng/checked-state.js';
import { DataLoaderBaseState } from './data-loader-base.state.generated.js';
import { DataConfigError } from './errors.js';
import type { BatchSampler } from './samplers/batch-sampler.js';
import { configIssue } from './samplers/config-check.js';

/**
 * What a DataLoader saves: where it stands (`epoch`, and `batchesYielded`, the batches of that epoch already handed
 * to the consumer), its batch sampler's state (which holds the sampler's), and `datasetLength`, which a load checks.
 * Together they name the next batch exactly: batch `batchesYielded` of epoch `epoch`, whose indices are a pure
 * function of the sampler state and the epoch. Batches prepared ahead (prefetch) are not counted.
 *
 * `DataLoader<T, B>` is this class with a dataset, a collate and iteration; it is a separate, non-generic class
 * because a `@stateful` class cannot be generic.
 */
@checkedState(checkLoaderState)
@stateful(DataLoaderBaseState)
export class DataLoaderBase {
  @persist({ name: 'epoch' }) private epochNumber = 0;
  @persist({ name: 'batchesYielded' }) private yielded = 0;
  @persist() readonly datasetLength: number;
  @persist() readonly batchSampler: BatchSampler;
  /** The iteration that currently owns the position, if any. */
  private owner: object | undefined;

  constructor(batchSampler: BatchSampler, datasetLength: number) {
    this.batchSampler = batchSampler;
    this.datasetLength = datasetLength;
  }

  /** The epoch the loader is in (or about to start). */
  get epoch(): number {
    return this.epochNumber;
  }

  /** Batches of the current epoch already handed out; the next batch is this one. */
  get batchesYielded(): number {
    return this.yielded;
  }

  /** Batches per epoch. */
  get length(): number {
    return this.batchSampler.length;
  }

  /** Whether an iteration is running: from `[Symbol.asyncIterator]()` to the end of its epoch, a `break` or an error. */
  get iterating(): boolean {
    return this.owner !== undefined;
  }

  /**
   * Moves to the start of epoch `epoch` (like torch's `DistributedSampler.set_epoch`, for the whole loader). Use it to
   * start a fresh epoch after stopping one early; do not call it after restoring a mid-epoch state, which would
   * restart that epoch.
   */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new DataConfigError(`setEpoch(${epoch}): epochs are integers ≥ 0`);
    this.refuseWhileIterating('setEpoch');
    this.epochNumber = epoch;
    this.yielded = 0;
  }

  /** @internal Takes the position for an iteration (a newer iteration replaces an older one). */
  protected claim(run: object): void {
    this.owner = run;
  }

  /** @internal Whether `run` still owns the position. */
  protected owns(run: object): boolean {
    return this.owner === run;
  }

  /** @internal Ends `run`'s ownership (no-op if another iteration took over). */
  protected release(run: object): void {
    if (this.owner === run) this.owner = undefined;
  }

  /** @internal Records that batch `batchesYielded - 1` of `epoch` was handed out. */
  protected record(epoch: number, batchesYielded: number): void {
    this.epochNumber = epoch;
    this.yielded = batchesYielded;
  }

  private refuseWhileIterating(what: string): void {
    if (this.owner !== undefined) {
      throw new DataConfigError(`DataLoader.${what}: the loader is being iterated; finish or break the loop first`);
    }
  }
}

function checkLoaderState(self: DataLoaderBase, state: Partial<DataLoaderBaseState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  if (self.iterating) {
    issues.push({
      path,
      kind: 'type',
      expected: 'a loader that is not being iterated (finish or break the loop before loading its state)',
      actual: `a loader in the middle of epoch ${self.epoch}`,
    });
  }
  checkInteger(issues, `${path}.epoch`, state.epoch, 0, Number.MAX_SAFE_INTEGER);
  configIssue(issues, `${path}.datasetLength`, state.datasetLength, self.datasetLength, 'dataset length');
  checkInteger(issues, `${path}.batchesYielded`, state.batchesYielded, 0, self.length);
  return issues;
}
