import { persist, type StateIssue, stateful } from '../../../state/index.js';
import { checkedState } from '../../rng/checked-state.js';
import { defaultGenerator } from '../../rng/default.js';
import { Generator } from '../../rng/generator.js';
import { DataConfigError } from '../errors.js';
import { RandomSamplerState } from './random-sampler.state.generated.js';
import { checkEpoch, Sampler, type Sized, sizeOf } from './sampler.js';
import { configIssue } from './config-check.js';

export interface RandomSamplerOptions {
  /** Draw with replacement (`numSamples` independent indices) instead of permuting. Default false. */
  readonly replacement?: boolean;
  /** Indices per epoch; default the dataset's length. Without replacement, more than that repeats whole permutations. */
  readonly numSamples?: number;
  /** Where the sampler's stream comes from: it forks this generator once, when made. Default: kindling's default generator. */
  readonly generator?: Generator;
}

/**
 * Random order, as torch's `RandomSampler`. Epoch `e` draws from `stream.derive(e)`, where `stream` is a generator
 * forked once from `options.generator` when the sampler is made: orders are a pure function of (stream, e).
 * Without replacement an epoch is ⌊numSamples / n⌋ permutations of 0…n-1 followed by the first `numSamples mod n`
 * elements of one more; with replacement it is `numSamples` uniform draws from [0, n).
 *
 * State: the stream (a {@link Generator} state; it wins on load, as restoring randomness should) and the
 * configuration (`replacement`, `numSamples`), which a load checks against this sampler's.
 */
@checkedState(checkRandomSampler)
@stateful(RandomSamplerState)
export class RandomSampler extends Sampler {
  @persist() readonly stream: Generator;
  @persist() readonly replacement: boolean;
  @persist() readonly numSamples: number;
  private readonly size: number;

  constructor(source: Sized, options: RandomSamplerOptions = {}) {
    super();
    this.size = sizeOf(source, 'RandomSampler');
    this.replacement = options.replacement ?? false;
    const numSamples = options.numSamples ?? this.size;
    if (!Number.isSafeInteger(numSamples) || numSamples <= 0 || numSamples > 0x7fffffff) {
      throw new DataConfigError(`RandomSampler: numSamples must be a positive integer, got ${numSamples}`);
    }
    this.numSamples = numSamples;
    this.stream = (options.generator ?? defaultGenerator()).fork();
  }

  get length(): number {
    return this.numSamples;
  }

  indices(epoch: number): Int32Array {
    checkEpoch(epoch, 'RandomSampler');
    const g = this.stream.derive(epoch);
    const n = this.size;
    const out = new Int32Array(this.numSamples);
    if (this.replacement) return g.fillInteger(out, 0, n);
    let offset = 0;
    while (offset < out.length) {
      const perm = g.permutation(n);
      const take = Math.min(n, out.length - offset);
      out.set(take === n ? perm : perm.subarray(0, take), offset);
      offset += take;
    }
    return out;
  }
}

function checkRandomSampler(self: RandomSampler, state: Partial<RandomSamplerState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  configIssue(issues, `${path}.replacement`, state.replacement, self.replacement, 'replacement');
  configIssue(issues, `${path}.numSamples`, state.numSamples, self.numSamples, 'numSamples');
  return issues;
}
