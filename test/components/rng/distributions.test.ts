import { describe, expect, it } from 'vitest';
import { Generator } from '../../../src/components/rng/generator.js';

/** Pearson's chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
}

// Fixed seeds make these deterministic; the bounds are the 99.9% quantiles of the chi-square distribution.
describe('distributions', () => {
  it('float64 and float32 lie in [0, 1); float32 values are exact float32 numbers', () => {
    const g = new Generator(1);
    for (let i = 0; i < 10000; i++) {
      const d = g.float64();
      const f = g.float32();
      expect(d >= 0 && d < 1).toBe(true);
      expect(f >= 0 && f < 1 && Math.fround(f) === f).toBe(true);
    }
  });

  it('integer(low, high) is unbiased for a range that does not divide 2^32', () => {
    const g = new Generator(2);
    const n = 3 * 2 ** 30; // the worst case for modulo reduction: 1/3 of the words would be biased
    const counts = new Float64Array(3);
    for (let i = 0; i < 60000; i++) counts[Math.floor(g.integer(0, n) / 2 ** 30)]! += 1;
    expect(chiSquare(counts)).toBeLessThan(13.8); // 2 degrees of freedom
    const small = new Float64Array(7);
    for (let i = 0; i < 70000; i++) small[g.integer(-3, 4) + 3]! += 1;
    expect(chiSquare(small)).toBeLessThan(22.5); // 6 degrees of freedom
  });

  it('integer ranges above 2^32 use 53-bit draws and stay in range', () => {
    const g = new Generator(3);
    const counts = new Float64Array(4);
    for (let i = 0; i < 40000; i++) {
      const v = g.integer(0, 2 ** 40);
      expect(Number.isInteger(v) && v >= 0 && v < 2 ** 40).toBe(true);
      counts[Math.floor(v / 2 ** 38)]! += 1;
    }
    expect(chiSquare(counts)).toBeLessThan(16.3); // 3 degrees of freedom
    expect(() => g.integer(2, 2)).toThrow('integer(2, 2)');
    expect(() => g.integer(0, 2 ** 54)).toThrow('2^53');
  });

  it('normal and fillNormal have the requested mean and standard deviation', () => {
    const g = new Generator(4);
    const values = g.fillNormal(new Float64Array(100001), 3, 2);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 3)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(variance) - 2)).toBeLessThan(0.03);
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += g.normal();
    expect(Math.abs(sum / 20000)).toBeLessThan(0.03);
  });

  it('permutation is a permutation, and every position is uniform', () => {
    const g = new Generator(5);
    const firstCounts = new Float64Array(5);
    for (let i = 0; i < 25000; i++) {
      const p = g.permutation(5);
      expect([...p].sort()).toEqual([0, 1, 2, 3, 4]);
      firstCounts[p[0]!]! += 1;
    }
    expect(chiSquare(firstCounts)).toBeLessThan(18.5); // 4 degrees of freedom
    expect(g.permutation(0)).toEqual(new Int32Array(0));
  });

  it('fills keep to their bounds, including float32 rounding', () => {
    const g = new Generator(6);
    const f = g.fillUniform(new Float32Array(50000), 1, 1.0000001);
    expect(f.every((v) => v >= 1 && v < 1.0000001)).toBe(true);
    const d = g.fillUniform(new Float64Array(1000), -2, 5);
    expect(d.every((v) => v >= -2 && v < 5)).toBe(true);
    const ints = g.fillInteger(new Int32Array(1000), -2, 2);
    expect(ints.every((v) => v >= -2 && v < 2)).toBe(true);
    const mask = g.fillBernoulli(new Uint8Array(100000), 0.25);
    const kept = mask.reduce((a, b) => a + b, 0);
    expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.abs(kept / 100000 - 0.25)).toBeLessThan(0.005);
    expect(g.fillBernoulli(new Float32Array(10), 0).every((v) => v === 0)).toBe(true);
    expect(g.fillBernoulli(new Float32Array(10), 1).every((v) => v === 1)).toBe(true);
    expect(() => g.fillBernoulli(new Uint8Array(1), 1.5)).toThrow('fillBernoulli(1.5)');
    expect(() => g.fillUniform(new Float32Array(1), 1, 1)).toThrow('low < high');
  });

  it('nextSeed gives integers in [0, 2^53)', () => {
    const g = new Generator(7);
    for (let i = 0; i < 1000; i++) {
      const s = g.nextSeed();
      expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    }
  });
});
