/**
 * SplitMix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", OOPSLA 2014), used here only to
 * derive stream identifiers: the k-th output of SplitMix64 seeded with `s` is `mix64(s + k·γ)`.
 */

const MASK = (1n << 64n) - 1n;
/** The golden-ratio increment γ = 0x9e3779b97f4a7c15 (odd, so k ↦ k·γ is a bijection modulo 2^64). */
export const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64's output function: a bijection of 64-bit integers with strong avalanche. */
export function mix64(value: bigint): bigint {
  let z = value & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}

/** The `k`-th output (k ≥ 1) of SplitMix64 seeded with `seed`. */
export function splitMix64(seed: bigint, k: bigint): bigint {
  return mix64(seed + k * GOLDEN_GAMMA);
}
