import { defaultGenerator } from '../rng/default.js';
import type { Generator } from '../rng/generator.js';
import { type Dataset, Subset } from './dataset.js';
import { DataConfigError } from './errors.js';

/**
 * Splits `dataset` into non-overlapping random subsets, as torch's `random_split`: `lengths` are sample counts that
 * add up to the dataset's length, or fractions that add up to 1 (each subset gets ⌊n·fraction⌋ samples, and the
 * remainder is handed out one by one from the first subset on). The order comes from one permutation drawn from
 * `generator` (kindling's default generator when omitted), so the same seed gives the same split.
 */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: readonly number[],
  generator: Generator = defaultGenerator(),
): Subset<T>[] {
  const counts = splitLengths(dataset.length, lengths);
  const order = generator.permutation(dataset.length);
  let offset = 0;
  return counts.map((count) => new Subset(dataset, order.subarray(offset, (offset += count))));
}

/** The subset sizes for `lengths` (counts, or fractions summing to 1) of `n` samples. */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  if (lengths.length === 0 || lengths.some((l) => !Number.isFinite(l) || l < 0)) {
    throw new DataConfigError(`randomSplit: lengths must be non-negative numbers, got [${lengths.join(', ')}]`);
  }
  const sum = lengths.reduce((a, b) => a + b, 0);
  // torch's test: math.isclose(sum, 1) (relative tolerance 1e-9) and sum ≤ 1.
  if (Math.abs(sum - 1) <= 1e-9 && sum <= 1) {
    const counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length]! += 1;
    return counts;
  }
  if (lengths.some((l) => !Number.isInteger(l)) || sum !== n) {
    throw new DataConfigError(
      `randomSplit: lengths [${lengths.join(', ')}] must be sample counts adding up to the dataset's ${n} samples, ` +
        'or fractions adding up to 1',
    );
  }
  return [...lengths];
}
