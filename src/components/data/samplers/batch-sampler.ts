import { persist, type StateIssue, stateful } from '../../../state/index.js';
import { checkedState } from '../../rng/checked-state.js';
import { DataConfigError } from '../errors.js';
import { BatchSamplerState } from './batch-sampler.state.generated.js';
import { configIssue } from './config-check.js';
import type { Sampler } from './sampler.js';

/** The batches of one epoch: `length` of them, batch `b` by `at(b)` (its dataset indices; do not modify them). */
export interface EpochBatches {
  readonly length: number;
  at(batch: number): Int32Array;
}

export interface BatchSamplerOptions {
  /** Indices per batch, a positive integer. */
  readonly batchSize: number;
  /** Leave out the last batch when it would be smaller than `batchSize`. Default false. */
  readonly dropLast?: boolean;
}

/**
 * Groups a sampler's indices into batches, as torch's `BatchSampler`. Batch b of an epoch is the sampler's indices
 * `[b·batchSize, (b+1)·batchSize)` for that epoch, so any batch of any epoch is found in O(1) once the epoch's order
 * is known. Subclass it (and override `length` and `epochBatches`) for other batchings, e.g. by sequence length;
 * the same rule holds: an epoch's batches must be a pure function of the state and the epoch.
 *
 * State: the sampler's state, and `batchSize` and `dropLast`, which a load checks against this sampler's.
 */
@checkedState(checkBatchSampler)
@stateful(BatchSamplerState)
export class BatchSampler {
  @persist() readonly sampler: Sampler;
  @persist() readonly batchSize: number;
  @persist() readonly dropLast: boolean;

  constructor(sampler: Sampler, options: BatchSamplerOptions) {
    const { batchSize } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
      throw new DataConfigError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = options.dropLast ?? false;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The batches of epoch `epoch`. */
  epochBatches(epoch: number): EpochBatches {
    const order = this.sampler.indices(epoch);
    const size = this.batchSize;
    const length = this.length;
    return {
      length,
      at(batch) {
        if (!Number.isInteger(batch) || batch < 0 || batch >= length) {
          throw new RangeError(`batch ${batch} is out of range: the epoch has ${length} batches`);
        }
        return order.subarray(batch * size, Math.min(order.length, (batch + 1) * size));
      },
    };
  }
}

function checkBatchSampler(self: BatchSampler, state: Partial<BatchSamplerState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  configIssue(issues, `${path}.batchSize`, state.batchSize, self.batchSize, 'batchSize');
  configIssue(issues, `${path}.dropLast`, state.dropLast, self.dropLast, 'dropLast');
  return issues;
}
