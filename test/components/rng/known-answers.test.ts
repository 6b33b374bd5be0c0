import { describe, expect, it } from 'vitest';
import { Generator } from '../../../src/components/rng/generator.js';
import { mulHigh, philox4x32 } from '../../../src/components/rng/philox.js';
import { mix64, splitMix64 } from '../../../src/components/rng/splitmix.js';

const words = (text: string) => text.split(' ').map((w) => parseInt(w, 16));
const hex = (values: ArrayLike<number>) => Array.from(values, (v) => v.toString(16).padStart(8, '0')).join(' ');

// Random123 v1.14 tests/kat_vectors, "philox4x32 10": counter words 0-3, key words 0-1, output words 0-3.
const PHILOX_KAT = [
  ['00000000 00000000 00000000 00000000', '00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  ['ffffffff ffffffff ffffffff ffffffff', 'ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
  ['243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
] as const;

describe('Philox4x32-10', () => {
  it.each(PHILOX_KAT)('matches the Random123 known-answer vector for counter %s, key %s', (counter, key, output) => {
    const [c0, c1, c2, c3] = words(counter) as [number, number, number, number];
    const [k0, k1] = words(key) as [number, number];
    const out = new Uint32Array(4);
    philox4x32(c0, c1, c2, c3, k0, k1, out);
    expect(hex(out)).toBe(output);
  });

  it('is what a Generator draws: seed 0, stream 0 starts with the all-zero block, then counter 1', () => {
    const g = new Generator(0);
    const first = Array.from({ length: 8 }, () => g.nextUint32());
    expect(hex(first.slice(0, 4))).toBe(PHILOX_KAT[0][2]);
    const next = new Uint32Array(4);
    philox4x32(1, 0, 0, 0, 0, 0, next);
    expect(first.slice(4)).toEqual(Array.from(next));
  });

  it('takes the seed as the key, low word first, and the stream id as counter words 2-3', () => {
    const g = new Generator(0x299f31d0a4093822n).derive(5);
    const stream = g.streamId;
    const expected = new Uint32Array(4);
    philox4x32(0, 0, Number(stream & 0xffffffffn), Number(stream >> 32n), 0xa4093822, 0x299f31d0, expected);
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual(Array.from(expected));
  });

  it('computes the high word of 32x32-bit products exactly', () => {
    const cases = [0, 1, 2, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xd2511f53, 0xcd9e8d57];
    const g = new Generator(7);
    for (let i = 0; i < 200; i++) cases.push(g.nextUint32());
    for (const a of cases) {
      for (const b of cases.slice(0, 40)) {
        expect(mulHigh(a, b)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      }
    }
  });
});

describe('SplitMix64 (stream derivation)', () => {
  it('matches the reference outputs for seed 0 and seed 1234567', () => {
    const seed0 = [0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn, 0xf88bb8a8724c81ecn, 0x1b39896a51a8749bn];
    expect(seed0.map((_, i) => splitMix64(0n, BigInt(i + 1)))).toEqual(seed0);
    // Rosetta Code, "Pseudo-random numbers/Splitmix64".
    const seed1234567 = [6457827717110365317n, 3203168211198807973n, 9817491932198370423n, 4593380528125082431n, 16408922859458223821n];
    expect(seed1234567.map((_, i) => splitMix64(1234567n, BigInt(i + 1)))).toEqual(seed1234567);
    expect(mix64(0n)).toBe(0n);
  });

  it('derives stream ids as the (id + 1)-th SplitMix64 output seeded with the parent stream', () => {
    const root = new Generator(42);
    expect(root.derive(0).streamId).toBe(0xe220a8397b1dcdafn);
    expect(root.derive(4).streamId).toBe(0x1b39896a51a8749bn);
    expect(root.derive(3, 1).streamId).toBe(splitMix64(0xf88bb8a8724c81ecn, 2n));
  });
});
