/**
 * A slow, obviously-correct XXH64 (BigInt arithmetic, following the xxHash specification's XXH64 section), so that
 * conformance tests check the digests in kindling's files without going through the library kindling uses to write
 * them. Checked against digests recorded from Python's `xxhash` module (the C library) in xxh64-reference.test.ts.
 */
const MASK = (1n << 64n) - 1n;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK;
const round = (acc: bigint, input: bigint): bigint => (rotl((acc + input * P2) & MASK, 31n) * P1) & MASK;
const merge = (acc: bigint, value: bigint): bigint => (((acc ^ round(0n, value)) * P1) + P4) & MASK;

/** XXH64 of `bytes` with seed 0, as 16 lower-case hex digits (the canonical, big-endian form). */
export function xxh64Reference(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number): bigint => view.getBigUint64(at, true);
  let p = 0;
  let h: bigint;
  if (bytes.length >= 32) {
    let v1 = (P1 + P2) & MASK;
    let v2 = P2;
    let v3 = 0n;
    let v4 = (0n - P1) & MASK;
    for (; p + 32 <= bytes.length; p += 32) {
      v1 = round(v1, u64(p));
      v2 = round(v2, u64(p + 8));
      v3 = round(v3, u64(p + 16));
      v4 = round(v4, u64(p + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & MASK;
    for (const v of [v1, v2, v3, v4]) h = merge(h, v);
  } else {
    h = P5;
  }
  h = (h + BigInt(bytes.length)) & MASK;
  for (; p + 8 <= bytes.length; p += 8) h = ((rotl(h ^ round(0n, u64(p)), 27n) * P1) + P4) & MASK;
  if (p + 4 <= bytes.length) {
    h = ((rotl(h ^ ((BigInt(view.getUint32(p, true)) * P1) & MASK), 23n) * P2) + P3) & MASK;
    p += 4;
  }
  for (; p < bytes.length; p++) h = (rotl(h ^ ((BigInt(bytes[p]!) * P5) & MASK), 11n) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  h ^= h >> 32n;
  return h.toString(16).padStart(16, '0');
}
