import { describe, expect, it } from 'vitest';
import { type TypeTextContext, typeText } from '../../../codegen/emit/type-text.js';
import type { TypeModel } from '../../../codegen/model.js';

const imported: string[] = [];
const ctx: TypeTextContext = {
  ref: (r) => {
    imported.push(r.name);
    return r.name;
  },
  tensor: () => 'Tensor',
};

const both = (m: TypeModel) => [typeText(m, 'field', ctx), typeText(m, 'state', ctx)];

describe('typeText', () => {
  it('writes primitives and literals as they are', () => {
    expect(both({ kind: 'number' })).toEqual(['number', 'number']);
    expect(both({ kind: 'literal', value: "it's" })).toEqual(["'it\\'s'", "'it\\'s'"]);
    expect(both({ kind: 'literal', value: -1 })).toEqual(['-1', '-1']);
  });

  it('writes encoded types in their saved form for the state', () => {
    expect(both({ kind: 'bigint' })).toEqual(['bigint', 'string']);
    expect(both({ kind: 'date' })).toEqual(['Date', 'number']);
    expect(both({ kind: 'map', key: { kind: 'string' }, value: { kind: 'date' }, readonly: true })).toEqual([
      'ReadonlyMap<string, Date>',
      '[string, number][]',
    ]);
    expect(both({ kind: 'set', element: { kind: 'union', members: [{ kind: 'string' }, { kind: 'number' }] }, readonly: false })).toEqual([
      'Set<string | number>',
      '(string | number)[]',
    ]);
  });

  it('parenthesises union elements of arrays and keeps readonly', () => {
    const m: TypeModel = { kind: 'array', element: { kind: 'union', members: [{ kind: 'number' }, { kind: 'null' }] }, readonly: true };
    expect(typeText(m, 'state', ctx)).toBe('readonly (number | null)[]');
  });

  it('writes tuples with optional elements and objects with optional keys and index signatures', () => {
    const tuple: TypeModel = {
      kind: 'tuple',
      readonly: false,
      elements: [
        { type: { kind: 'string' }, optional: false },
        { type: { kind: 'number' }, optional: true },
      ],
    };
    expect(typeText(tuple, 'state', ctx)).toBe('[string, number?]');
    const obj: TypeModel = {
      kind: 'object',
      properties: [
        { name: 'a', type: { kind: 'number' }, optional: false },
        { name: 'odd key', type: { kind: 'string' }, optional: true },
      ],
      index: { kind: 'number' },
    };
    expect(typeText(obj, 'state', ctx)).toBe("{ a: number; 'odd key'?: string; [key: string]: number }");
    expect(typeText({ kind: 'object', properties: [] }, 'state', ctx)).toBe('{}');
  });

  it('writes tensors with their dtypes through the runtime Tensor name', () => {
    expect(typeText({ kind: 'tensor', dtypes: [] }, 'state', ctx)).toBe('Tensor');
    expect(typeText({ kind: 'tensor', dtypes: ['float16', 'float32'] }, 'state', ctx)).toBe("Tensor<'float16' | 'float32'>");
  });

  it('refers to nested state types and enums by name (importing them), and inlines unexported enums', () => {
    imported.length = 0;
    const nested: TypeModel = { kind: 'stateful', className: 'Inner', states: [{ name: 'InnerState', file: '/p/inner.ts', inGenerated: true }] };
    expect(both(nested)).toEqual(['object', 'InnerState']);
    expect(typeText({ kind: 'enum', name: 'Level', values: [0, 1], ref: { name: 'Level', file: '/p/t.ts' } }, 'state', ctx)).toBe('Level');
    expect(typeText({ kind: 'enum', name: 'Local', values: ['a', 'b'] }, 'state', ctx)).toBe("'a' | 'b'");
    const subset: TypeModel = { kind: 'enum', name: 'Phase', values: [1, 2], members: ['Val', 'Test'], ref: { name: 'Phase', file: '/p/t.ts' } };
    expect(typeText(subset, 'state', ctx)).toBe('Phase.Val | Phase.Test');
    expect(typeText({ kind: 'array', element: subset, readonly: false }, 'state', ctx)).toBe('(Phase.Val | Phase.Test)[]');
    expect(imported).toEqual(['InnerState', 'Level', 'Phase', 'Phase']);
  });

  it('keeps class-transformer instances as the class in the field and a plain object in the state', () => {
    expect(both({ kind: 'instance', className: 'Money', ref: { name: 'Money', file: '/p/money.ts' } })).toEqual([
      'Money',
      'Record<string, unknown>',
    ]);
  });

  it('writes components held in collections as their State types, and as `object` in the field view', () => {
    const head = { kind: 'stateful', className: 'Head', states: [{ name: 'HeadState', file: '/p/head.ts', inGenerated: true }] } as const;
    const loader = { kind: 'stateful', className: 'Loader', states: [{ name: 'LoaderState', file: '/p/head.ts', inGenerated: true }] } as const;
    const holder = (shape: 'array' | 'tuple' | 'record' | 'map' | 'nullable', readonly = false, elements: (typeof head | typeof loader)[] = [head]): TypeModel =>
      ({ kind: 'statefuls', shape, elements, readonly, ...(shape === 'map' ? { key: { kind: 'number' } } : {}) }) as TypeModel;
    expect(both(holder('array', true))).toEqual(['readonly object[]', 'readonly HeadState[]']);
    expect(both(holder('tuple', false, [head, loader]))).toEqual(['[object, object]', '[HeadState, LoaderState]']);
    expect(both(holder('record'))).toEqual(['Record<string, object>', 'Record<string, HeadState>']);
    expect(both(holder('map', true))).toEqual(['ReadonlyMap<number, object>', '[number, HeadState][]']);
    expect(both(holder('nullable'))).toEqual(['object | null', 'HeadState | null']);
  });
});
