import { describe, expect, it } from 'vitest';
import { codecExpr, isImmediate, statefulSlotExpr } from '../../../codegen/emit/codec-expr.js';
import type { TypeModel } from '../../../codegen/model.js';

const expr = (m: TypeModel) => codecExpr(m, (i) => i.className);

describe('codecExpr', () => {
  it('names runtime codecs for primitives and encoded scalars', () => {
    expect(expr({ kind: 'number' })).toBe('$rt.number');
    expect(expr({ kind: 'null' })).toBe('$rt.nullValue');
    expect(expr({ kind: 'bigint' })).toBe('$rt.bigint');
    expect(expr({ kind: 'date' })).toBe('$rt.date');
    expect(expr({ kind: 'opaque' })).toBe('$rt.opaque');
  });

  it('folds unions of literals into one literal codec and T | null into nullable', () => {
    const lit: TypeModel = { kind: 'union', members: [{ kind: 'literal', value: 'a' }, { kind: 'literal', value: 2 }] };
    expect(expr(lit)).toBe("$rt.literal(['a', 2])");
    expect(expr({ kind: 'union', members: [{ kind: 'date' }, { kind: 'null' }] })).toBe('$rt.nullable($rt.date)');
    expect(expr({ kind: 'union', members: [{ kind: 'string' }, { kind: 'number' }, { kind: 'null' }] })).toBe(
      '$rt.union([$rt.string, $rt.number, $rt.nullValue])',
    );
  });

  it('labels enums with their name', () => {
    expect(expr({ kind: 'enum', name: 'Color', values: ['red', 'green'] })).toBe("$rt.literal(['red', 'green'], 'Color')");
  });

  it('composes containers', () => {
    const m: TypeModel = {
      kind: 'map',
      readonly: false,
      key: { kind: 'string' },
      value: {
        kind: 'object',
        properties: [{ name: 'at', type: { kind: 'date' }, optional: true }],
        index: { kind: 'array', element: { kind: 'tensor', dtypes: ['int32'] }, readonly: false },
      },
    };
    expect(expr(m)).toBe(
      "$rt.map($rt.string, $rt.object([{ key: 'at', codec: $rt.date, optional: true }], $rt.array($rt.tensor(['int32']))))",
    );
    const tuple: TypeModel = {
      kind: 'tuple',
      readonly: true,
      elements: [
        { type: { kind: 'number' }, optional: false },
        { type: { kind: 'string' }, optional: true },
      ],
    };
    expect(expr(tuple)).toBe('$rt.tuple([$rt.number, $rt.string], 1)');
  });

  it('builds class-transformer codecs lazily from the class value', () => {
    expect(expr({ kind: 'instance', className: 'Money', ref: { name: 'Money', file: '/m.ts' } })).toBe(
      "$rt.instance(() => Money, 'Money')",
    );
  });

  it('refuses models that are not loaded through a codec', () => {
    expect(() => expr({ kind: 'stateful', className: 'X', states: [{ name: 'XState', file: '/x.ts' }] })).toThrow(/own loader/);
  });

  it('treats only primitives and literals as immediate (no copy needed)', () => {
    expect(isImmediate({ kind: 'union', members: [{ kind: 'number' }, { kind: 'null' }] })).toBe(true);
    expect(isImmediate({ kind: 'array', element: { kind: 'number' }, readonly: false })).toBe(false);
    expect(isImmediate({ kind: 'tensor', dtypes: [] })).toBe(false);
  });

  it('names the runtime slot of a component collection, typed by its State type', () => {
    const head = { kind: 'stateful', className: 'Head', states: [{ name: 'HeadState', file: '/p/head.ts', inGenerated: true }] } as const;
    const key: TypeModel = { kind: 'union', members: [{ kind: 'string' }, { kind: 'number' }] };
    expect(statefulSlotExpr({ kind: 'statefuls', shape: 'array', elements: [head], readonly: false }, 'HeadState[]')).toBe(
      "$rt.statefulArray<HeadState[]>('Head')",
    );
    expect(statefulSlotExpr({ kind: 'statefuls', shape: 'tuple', elements: [head, head], readonly: false }, 'S')).toBe(
      "$rt.statefulTuple<S>(['Head', 'Head'])",
    );
    expect(statefulSlotExpr({ kind: 'statefuls', shape: 'map', elements: [head], key, readonly: false }, 'S')).toBe(
      "$rt.statefulMap<S>($rt.union([$rt.string, $rt.number]), 'Head')",
    );
    expect(statefulSlotExpr({ kind: 'statefuls', shape: 'record', elements: [head], readonly: false }, 'S')).toBe("$rt.statefulRecord<S>('Head')");
    expect(statefulSlotExpr({ kind: 'statefuls', shape: 'nullable', elements: [head], readonly: false }, 'S')).toBe("$rt.statefulNullable<S>('Head')");
  });
});
