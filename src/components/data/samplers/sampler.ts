import { stateful } from '../../../state/index.js';
import { SamplerState } from './sampler.state.generated.js';

/**
 * The order in which a loader visits a dataset's indices. A sampler's order for an epoch is a pure function of its
 * state and the epoch number, never of randomness used before: that is what lets a loader resume any position of any
 * epoch in O(1), without replaying it. Subclasses are `@stateful`; their state holds what the order depends on (a
 * seed or generator stream), plus configuration they check on load.
 */
@stateful(SamplerState)
export abstract class Sampler {
  /** How many indices an epoch has. */
  abstract get length(): number;

  /** The indices of epoch `epoch` (an integer ≥ 0), in order; `length` of them. The caller must not modify them. */
  abstract indices(epoch: number): Int32Array;
}

/** Something with a number of samples (a dataset, or just `{ length }`). */
export interface Sized {
  readonly length: number;
}

/** The number of samples of `source`, checked: a positive integer. */
export function sizeOf(source: Sized, what: string): number {
  const n = source.length;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`${what}: the dataset has ${n} samples; it needs at least one`);
  }
  return n;
}

export function checkEpoch(epoch: number, what: string): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`${what}.indices(${epoch}): epochs are integers ≥ 0`);
}
