import { persist, type StateIssue, stateful } from '../../../state/index.js';
import { checkedState, checkInteger } from '../../rng/checked-state.js';
import { Generator } from '../../rng/generator.js';
import { DataConfigError } from '../errors.js';
import { configIssue } from './config-check.js';
import { checkEpoch, Sampler, type Sized, sizeOf } from './sampler.js';
import { ShardedSamplerState } from './sharded-sampler.state.generated.js';

export interface ShardedSamplerOptions {
  /** How many processes share the dataset. */
  readonly numReplicas: number;
  /** This process's shard, in [0, numReplicas). */
  readonly rank: number;
  /** Shuffle the dataset each epoch (all replicas draw the same permutation). Default true. */
  readonly shuffle?: boolean;
  /** The seed every replica must share. Default 0. */
  readonly seed?: number;
  /** Drop the tail so that every shard has the same number of distinct samples, instead of padding. Default false. */
  readonly dropLast?: boolean;
}

/**
 * One replica's share of a dataset, with torch's `DistributedSampler` semantics. Each epoch all replicas take the
 * same order of the n samples (a permutation from `new Generator(seed).derive(epoch)` when shuffling, else
 * 0…n-1). Without `dropLast` the order is padded with its own first elements to a multiple of `numReplicas`; with it,
 * truncated to one. Replica r then takes positions r, r + numReplicas, …: every shard has the same length, the
 * shards cover the dataset, and they are disjoint apart from the padding.
 *
 * State: `seed` (loaded: the checkpoint's order wins), and `numReplicas`, `shuffle`, `dropLast`, which a load checks.
 * The rank is not state: every replica loads the same checkpoint (usually rank 0's) and keeps its own rank.
 */
@checkedState(checkShardedSampler)
@stateful(ShardedSamplerState)
export class ShardedSampler extends Sampler {
  @persist() readonly seed: number;
  @persist() readonly numReplicas: number;
  @persist() readonly shuffle: boolean;
  @persist() readonly dropLast: boolean;
  readonly rank: number;
  private readonly size: number;
  private readonly perReplica: number;

  constructor(source: Sized, options: ShardedSamplerOptions) {
    super();
    this.size = sizeOf(source, 'ShardedSampler');
    const { numReplicas, rank } = options;
    if (!Number.isSafeInteger(numReplicas) || numReplicas <= 0) {
      throw new DataConfigError(`ShardedSampler: numReplicas must be a positive integer, got ${numReplicas}`);
    }
    if (!Number.isSafeInteger(rank) || rank < 0 || rank >= numReplicas) {
      throw new DataConfigError(`ShardedSampler: rank must be an integer in [0, ${numReplicas - 1}], got ${rank}`);
    }
    const seed = options.seed ?? 0;
    if (!Number.isSafeInteger(seed)) throw new DataConfigError(`ShardedSampler: seed must be a safe integer, got ${seed}`);
    this.numReplicas = numReplicas;
    this.rank = rank;
    this.seed = seed;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    this.perReplica = this.dropLast ? Math.floor(this.size / numReplicas) : Math.ceil(this.size / numReplicas);
    if (this.perReplica === 0) {
      throw new DataConfigError(
        `ShardedSampler: ${this.size} samples with dropLast leave nothing for each of ${numReplicas} replicas; use dropLast: false`,
      );
    }
  }

  get length(): number {
    return this.perReplica;
  }

  indices(epoch: number): Int32Array {
    checkEpoch(epoch, 'ShardedSampler');
    const n = this.size;
    let order: Int32Array;
    if (this.shuffle) order = new Generator(this.seed).derive(epoch).permutation(n);
    else {
      order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
    }
    // Position p of the padded (or truncated) order is order[p mod n]; this replica takes p = rank + k·numReplicas.
    const out = new Int32Array(this.perReplica);
    for (let k = 0; k < out.length; k++) out[k] = order[(this.rank + k * this.numReplicas) % n]!;
    return out;
  }
}

function checkShardedSampler(self: ShardedSampler, state: Partial<ShardedSamplerState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  checkInteger(issues, `${path}.seed`, state.seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  configIssue(issues, `${path}.numReplicas`, state.numReplicas, self.numReplicas, 'numReplicas');
  configIssue(issues, `${path}.shuffle`, state.shuffle, self.shuffle, 'shuffle');
  configIssue(issues, `${path}.dropLast`, state.dropLast, self.dropLast, 'dropLast');
  return issues;
}
