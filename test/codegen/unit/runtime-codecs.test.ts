import { describe, expect, it } from 'vitest';
import * as rt from '../../../src/state/generated-runtime/index.js';
import type { CheckContext } from '../../../src/state/generated-runtime/codec.js';
import { type Tensor, tensor } from '../../../src/state/tensor.js';
import { INVALID } from '../../../src/state/value-kinds.js';

function check(codec: rt.Codec<unknown, unknown>, value: unknown, strict = true) {
  const ctx: CheckContext = { issues: [], strict, unexpectedKeys: [] };
  const ok = codec.check(value, 'X.f', ctx);
  return { ok, issues: ctx.issues.map((i) => `${i.kind} ${i.path}: ${i.expected} / ${i.actual}`), unexpected: ctx.unexpectedKeys };
}

describe('generated-runtime codecs', () => {
  it('checks primitives and literals, naming what was expected', () => {
    expect(check(rt.number, Number.NaN).ok).toBe(true);
    expect(check(rt.number, '1').issues).toEqual(['type X.f: number / string']);
    expect(check(rt.literal(['min', 'max']), 'mid').issues).toEqual(['type X.f: "min" | "max" / "mid"']);
    expect(check(rt.literal([0, 1], 'Level'), 2).issues).toEqual(['type X.f: Level (0 | 1) / 2']);
    // Values of another kind, or too long to show, are described by kind.
    expect(check(rt.literal(['min', 'max']), null).issues).toEqual(['type X.f: "min" | "max" / null']);
    expect(check(rt.literal(['min', 'max']), 'x'.repeat(100)).issues).toEqual(['type X.f: "min" | "max" / string']);
  });

  it('reports every bad element of an array with its index', () => {
    expect(check(rt.array(rt.number), [1, 'a', null]).issues).toEqual([
      'type X.f[1]: number / string',
      'type X.f[2]: number / null',
    ]);
  });

  it('takes arrays of numbers, strings and booleans on the fast path as fresh copies, each with its own element type', () => {
    // Each element type has its own fast-path function (containers.ts, takeNumbers): a mix-up would accept the wrong type.
    const cases = [
      [rt.array(rt.number), [0.5, 1, Number.NaN], ['a'], [true]],
      [rt.array(rt.string), ['a', ''], [1], [false]],
      [rt.array(rt.boolean), [true, false], [0], ['true']],
    ] as const;
    for (const [codec, valid, ...wrong] of cases) {
      const taken = codec.take!(valid);
      expect(taken).toEqual(valid);
      expect(taken).not.toBe(valid);
      for (const w of wrong) expect([w, codec.take!(w)]).toEqual([w, INVALID]);
      expect(codec.take!([...valid, undefined])).toBe(INVALID);
      expect(codec.take!({ 0: valid[0], length: 1 })).toBe(INVALID);
    }
  });

  it('checks tuple lengths, allowing absent optional elements', () => {
    const t = rt.tuple([rt.string, rt.number], 1);
    expect(check(t, ['a']).ok).toBe(true);
    expect(check(t, ['a', 2]).ok).toBe(true);
    expect(check(t, ['a', 2, 3]).issues).toEqual(['type X.f: [string, number?] (1–2 elements) / array']);
  });

  it('checks objects: missing required keys, optional keys, unexpected keys by strictness', () => {
    const o = rt.object([
      { key: 'a', codec: rt.number },
      { key: 'b', codec: rt.string, optional: true },
    ]);
    expect(check(o, { a: 1 }).ok).toBe(true);
    expect(check(o, { b: 'x', z: 1 }).issues).toEqual(['missing X.f.a: number / nothing', 'unexpected X.f.z:  / number']);
    const lax = check(o, { a: 1, z: 1 }, false);
    expect(lax.ok).toBe(true);
    expect(lax.unexpected).toEqual(['X.f.z']);
    expect(o.decode({ a: 1, z: 1 } as never)).toEqual({ a: 1 });
  });

  it('checks index signatures and keeps __proto__ as an ordinary key', () => {
    const rec = rt.object([], rt.number);
    const input = JSON.parse('{"__proto__": 1, "b": 2}') as Record<string, unknown>;
    expect(check(rec, input).ok).toBe(true);
    const out = rec.decode(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
  });

  it('reports the inner problem of a nullable value of the right kind, the union otherwise', () => {
    const n = rt.nullable(rt.array(rt.number));
    expect(check(n, null).ok).toBe(true);
    expect(check(n, [1, 'x']).issues).toEqual(['type X.f[1]: number / string']);
    expect(check(n, 'x').issues).toEqual(['type X.f: number[] | null / string']);
  });

  it('round-trips Map, Set, Date and bigint through their saved forms', () => {
    const m = rt.map(rt.string, rt.date);
    const saved = m.encode(new Map([['a', new Date(5)]]));
    expect(saved).toEqual([['a', 5]]);
    expect(check(m, saved).ok).toBe(true);
    expect(m.decode(saved).get('a')?.getTime()).toBe(5);
    expect(check(m, [['a']]).issues).toEqual(['type X.f: [string, number (a Date as epoch milliseconds)][] (Map entries) / array']);
    const s = rt.set(rt.number);
    expect(s.decode(s.encode(new Set([3, 1])))).toEqual(new Set([3, 1]));
    expect(rt.bigint.encode(-12n)).toBe('-12');
    expect(check(rt.bigint, '1e3').ok).toBe(false);
    expect(rt.bigint.decode('123456789012345678901')).toBe(123456789012345678901n);
  });

  it('checks tensor dtypes; shares tensors when saving and copies them when loading inside containers', () => {
    const t = tensor('float32', [2], [1, 2]);
    const c = rt.tensor<Tensor>(['float32']);
    expect(check(c, t).ok).toBe(true);
    expect(check(c, tensor('int32', [1], [1])).issues).toEqual(['type X.f: Tensor<float32> / Tensor<int32>[1]']);
    expect(c.encode(t)).toBe(t);
    const loaded = c.decode(t);
    expect(loaded).not.toBe(t);
    expect(loaded.data).not.toBe(t.data);
    expect(Array.from(loaded.data as Float32Array)).toEqual([1, 2]);
  });

  it('copies opaque data both ways and refuses what is not plain data', () => {
    const value = { a: [1, { b: 2 }] };
    const saved = rt.opaque.encode(value) as typeof value;
    expect(saved).toEqual(value);
    expect(saved.a).not.toBe(value.a);
    expect(check(rt.opaque, { m: new Map() }).issues).toEqual(['type X.f: plain state data / object']);
  });

  it('accepts any member of a plain union', () => {
    const u = rt.union([rt.string, rt.number, rt.literal([true])]);
    expect(check(u, 1).ok).toBe(true);
    expect(check(u, true).ok).toBe(true);
    expect(check(u, false).issues).toEqual(['type X.f: string | number | true / boolean']);
  });

  it('decodes a union of object types with the member that fits, dropping keys a non-strict load ignored', () => {
    const u = rt.union([rt.object([{ key: 'circle', codec: rt.number }]), rt.object([{ key: 'side', codec: rt.number }])]);
    const lax = check(u, { side: 2, junk: 1 }, false);
    expect(lax.ok).toBe(true);
    expect(lax.unexpected).toEqual(['X.f.junk']);
    expect(u.decode({ side: 2, junk: 1 } as never)).toEqual({ side: 2 });
    expect(u.decode({ circle: 1 } as never)).toEqual({ circle: 1 });
  });

  it('accepts only plain state data for a class-transformer instance, and builds it from a copy', () => {
    class Point {
      x = 0;
      ys: number[] = [];
    }
    const codec = rt.instance(() => Point, 'Point');
    const cyclic: Record<string, unknown> = { x: 1 };
    cyclic['self'] = cyclic;
    expect(check(codec, cyclic).issues).toEqual(['type X.f: object (a Point) / object']);
    expect(check(codec, { x: 1, f: () => 1 }).ok).toBe(false);
    const data = { x: 2, ys: [1, 2] };
    expect(check(codec, data).ok).toBe(true);
    const built = codec.decode(data);
    expect(built).toBeInstanceOf(Point);
    expect(built.ys).toEqual([1, 2]);
    expect(built.ys).not.toBe(data.ys);
  });

  it('takes as a Date only integer epoch milliseconds (or NaN), which round-trip exactly', () => {
    expect(check(rt.date, 1_577_836_800_000).ok).toBe(true);
    expect(check(rt.date, Number.NaN).ok).toBe(true);
    expect(check(rt.date, 1.5).issues).toEqual(['type X.f: number (a Date as epoch milliseconds) / number']);
  });
});
