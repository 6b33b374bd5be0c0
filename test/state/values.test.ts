import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor, tensorEquals, zeros } from 'kindling';
import {
  clonePlain,
  copyPlain,
  decodeBigint,
  decodeDate,
  isEpochMillis,
  encodeBigint,
  encodeDate,
  isBigintString,
  isMapEntries,
  isPlainObject,
  fillTensor,
} from 'kindling/runtime';

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject(JSON.parse('{"a":1}'))).toBe(true);
    for (const v of [null, undefined, [], new Date(), new Map(), new (class A {})(), 'x', 1, () => {}, new Float32Array(1)]) {
      expect(isPlainObject(v)).toBe(false);
    }
  });
});

describe('copyPlain and clonePlain', () => {
  it('copies arrays and objects deeply; copyPlain shares tensors, clonePlain copies them', () => {
    const t = tensor('float32', [1], [1]);
    const src = { a: [1, { b: 2 }], t, n: null, s: 'x' };
    const copy = copyPlain(src);
    expect(copy).toEqual(src);
    expect(copy.a).not.toBe(src.a);
    expect(copy.a[1]).not.toBe(src.a[1]);
    expect(copy.t).toBe(t);
    const clone = clonePlain(src);
    expect(clone.t).not.toBe(t);
    expect(tensorEquals(clone.t, t)).toBe(true);
  });

  it('keeps NaN, -0 and infinities exactly', () => {
    expect(copyPlain([Number.NaN, -0, Infinity, -Infinity])).toEqual([Number.NaN, -0, Infinity, -Infinity]);
    expect(Object.is(copyPlain(-0), -0)).toBe(true);
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = copyPlain(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('refuses what is not plain state data, naming where it is', () => {
    expect(() => copyPlain({ a: [new Map()] })).toThrow('copyPlain: Map at .a[0] is not plain state data');
    expect(() => copyPlain({ f: () => 1 })).toThrow(/function at \.f/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => copyPlain(cyclic)).toThrow(/cycle at \.self/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    const copy = copyPlain({ a: shared, b: shared });
    expect(copy).toEqual({ a: { x: 1 }, b: { x: 1 } });
    expect(copy.a).not.toBe(copy.b);
  });

  it('equals its input for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(copyPlain(v)).toEqual(v);
    }));
  });
});

describe('Map, Set, Date and bigint encodings', () => {
  it('recognises and demands map entries', () => {
    expect(isMapEntries([])).toBe(true);
    expect(isMapEntries([[1, 2]])).toBe(true);
    expect(isMapEntries([[1]])).toBe(false);
    expect(isMapEntries({})).toBe(false);
  });

  it('encodes a Date as epoch milliseconds, an invalid one as NaN', () => {
    expect(encodeDate(new Date(Date.UTC(2020, 0, 1)))).toBe(1577836800000);
    expect(encodeDate(new Date(Number.NaN))).toBeNaN();
    expect(Number.isNaN(decodeDate(Number.NaN).getTime())).toBe(true);
    expect(() => decodeDate('2020' as never)).toThrow(/epoch milliseconds/);
    fc.assert(fc.property(fc.date(), (d) => {
      expect(decodeDate(encodeDate(d))).toEqual(d);
    }));
  });

  it('accepts as a Date only what encodeDate can produce: integers in range, or NaN', () => {
    fc.assert(fc.property(fc.date({ noInvalidDate: false }), (d) => {
      expect(isEpochMillis(encodeDate(d))).toBe(true);
    }));
    for (const bad of [1.5, 8.64e15 + 1, Number.POSITIVE_INFINITY, '0']) expect(isEpochMillis(bad)).toBe(false);
    expect(() => decodeDate(1.5)).toThrow(/integer epoch milliseconds, got 1.5/);
  });

  it('encodes a bigint as its decimal string and accepts only decimal strings back', () => {
    fc.assert(fc.property(fc.bigInt(), (b) => {
      expect(decodeBigint(encodeBigint(b))).toBe(b);
    }));
    expect(encodeBigint(-(2n ** 70n))).toBe('-1180591620717411303424');
    for (const bad of ['', ' 1', '0x10', '1e3', '1.0', '+1', '1n']) {
      expect(isBigintString(bad)).toBe(false);
      expect(() => decodeBigint(bad)).toThrow(/decimal integer string/);
    }
    expect(isBigintString(1)).toBe(false);
  });
});

describe('fillTensor', () => {
  it('copies elements into the existing memory, bits exactly, for half precision and bool as well', () => {
    const target = zeros('float16', [2]);
    const memory = target.data;
    fillTensor(target, tensor('float16', [2], [0x7e01, 0x8000]));
    expect(target.data).toBe(memory);
    expect(Array.from(target.data)).toEqual([0x7e01, 0x8000]);
    const flags = zeros('bool', [3]);
    fillTensor(flags, tensor('bool', [3], [1, 0, 1]));
    expect(Array.from(flags.data)).toEqual([1, 0, 1]);
    const wide = tensor('int64', [2], [1n, 2n]);
    fillTensor(wide, tensor('int64', [2], [3n, -4n]));
    expect(tensorEquals(wide, tensor('int64', [2], [3n, -4n]))).toBe(true);
  });

  it('is harmless when a tensor is filled from itself or from its own memory', () => {
    const t = tensor('float64', [3], [1, 2, 3]);
    fillTensor(t, t);
    fillTensor(t, { dtype: 'float64', shape: [3], data: t.data });
    expect(Array.from(t.data)).toEqual([1, 2, 3]);
  });
});
