/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy as 1, 2, 3", SC 2011), the
 * counter-based generator of the Random123 library: a keyed bijection of a 128-bit counter. Output block `n` of a
 * stream is `philox(key, counter n)`, so any position of any stream is reachable in O(1), with no hidden state.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// The multipliers split into 16-bit halves, so that the high word of a 32×32-bit product is computed exactly in
// doubles (each partial product stays below 2^53).
const M0_HI = M0 >>> 16;
const M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16;
const M1_LO = M1 & 0xffff;

/** floor(a · m / 2^32) for 32-bit a and m = mHi · 2^16 + mLo. */
function mulHighSplit(a: number, mHi: number, mLo: number): number {
  const low = a * mLo;
  const mid = a * mHi + Math.floor(low / 65536);
  return Math.floor(mid / 65536);
}

/** The high 32 bits of the 64-bit product of two unsigned 32-bit integers. */
export function mulHigh(a: number, b: number): number {
  return mulHighSplit(a, b >>> 16, b & 0xffff);
}

/**
 * One Philox4x32-10 block: the four 32-bit output words for counter `[c0, c1, c2, c3]` under key `[k0, k1]`, written
 * to `out[0..3]`. All inputs are unsigned 32-bit integers.
 */
export function philox4x32(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulHighSplit(c0, M0_HI, M0_LO);
    const lo0 = Math.imul(c0, M0) >>> 0;
    const hi1 = mulHighSplit(c2, M1_HI, M1_LO);
    const lo1 = Math.imul(c2, M1) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}
