import { describe, expect, it } from 'vitest';
import { CRC32, digestOf, XXH64 } from '../../src/checkpoint/checksum.js';
import { xxh64Reference } from './xxh64-reference.js';

/** 1,280 bytes: 0, 1, …, 255 five times (more than one 32-byte stripe, and a tail). */
const ramp = Uint8Array.from({ length: 1280 }, (_, i) => i % 256);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

// Recorded from Python: `xxhash.xxh64_hexdigest(data)` (xxhash 4.0.1 over the C library), seed 0.
const RECORDED: readonly [string, Uint8Array, string][] = [
  ['empty', new Uint8Array(0), 'ef46db3751d8e999'],
  ['"a"', text('a'), 'd24ec4f1a98c6e5b'],
  ['"abc"', text('abc'), '44bc2cf5ad770999'],
  ['"123456789"', text('123456789'), '8cb841db40e6ae83'],
  ['0..255 five times', ramp, 'afc184ad7938a354'],
];

describe('XXH64, as checkpoints store it', () => {
  it.each(RECORDED)('the test reference and kindling agree with the C library on %s', (_name, bytes, recorded) => {
    expect(xxh64Reference(bytes)).toBe(recorded);
    expect(digestOf(bytes, XXH64)).toBe(recorded);
  });

  it('gives the same digest whatever the pieces the bytes arrive in', () => {
    for (const cut of [0, 1, 31, 32, 33, 640, 1279]) {
      const digest = XXH64.start();
      digest.update(ramp.subarray(0, cut));
      digest.update(ramp.subarray(cut));
      expect(digest.hex()).toBe('afc184ad7938a354');
    }
  });

  it('keeps interleaved digests apart (one WebAssembly hasher serves them all)', () => {
    const a = XXH64.start();
    const b = XXH64.start();
    a.update(ramp.subarray(0, 100));
    b.update(text('12345'));
    a.update(ramp.subarray(100, 700));
    b.update(text('6789'));
    expect(b.hex()).toBe('8cb841db40e6ae83');
    a.update(ramp.subarray(700));
    expect(a.hex()).toBe('afc184ad7938a354');
    expect(XXH64.start().hex()).toBe('ef46db3751d8e999');
  });

  it('still computes version 1\'s CRC32 (zlib polynomial)', () => {
    expect(digestOf(text('123456789'), CRC32)).toBe('cbf43926');
  });
});
