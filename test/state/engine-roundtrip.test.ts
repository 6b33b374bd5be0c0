import 'reflect-metadata';
import { Type } from 'class-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DType,
  DTYPES,
  isTensor,
  loadStateDictInto,
  persist,
  stateDictOf,
  stateful,
  type Tensor,
  tensorEquals,
  zeros,
} from 'kindling';
import { anyNumber, stateData, tensorOf, tensorPerDType } from './arbitraries.js';
import { methodsOf } from './helpers.js';

@stateful()
class Layer {
  @persist({ resizable: true }) weight: Tensor = zeros('float32', [0]);
  @persist() history: number[] = [];
  @persist() label: string = '';
}

class Waypoint {
  x = 0;
  name = '';
  @Type(() => Date) at = new Date(0);
}

/** One field of every kind the reflective engine supports. */
@stateful()
class Everything {
  @persist() num: number = 0;
  @persist() str: string = '';
  @persist() flag: boolean = false;
  @persist() none: null = null;
  @persist() mode: 'min' | 'max' = 'min';
  @persist() list: number[] = [];
  @persist() pair: [string, number] = ['', 0];
  @persist() nested: { a: number; b: string[]; c: { d: boolean } } = { a: 0, b: [], c: { d: false } };
  @persist() record: Record<string, number> = {};
  @persist() data: unknown = null;
  @persist({ resizable: true }) tensors: Record<string, Tensor> = Object.fromEntries(DTYPES.map((d) => [d, zeros(d, [0])]));
  @persist() layer = new Layer();
  @persist() layers: Layer[] = [new Layer(), new Layer()];
  @persist() map: Map<string, number[]> = new Map();
  @persist() set: Set<number> = new Set();
  @persist() when: Date = new Date(0);
  @persist() big: bigint = 0n;
  @persist({ type: () => Waypoint }) waypoint: Waypoint = new Waypoint();
  @persist({ type: () => Waypoint }) route: Waypoint[] = [];
  @persist({ optional: true }) maybe?: number;
}

const layerContent = fc.record({
  weight: tensorOf('float32'),
  history: fc.array(anyNumber, { maxLength: 5 }),
  label: fc.string(),
});

const waypointContent = fc.record({ x: anyNumber, name: fc.string(), at: fc.date({ noInvalidDate: true }) });

const content = fc.record({
  num: anyNumber,
  str: fc.string(),
  flag: fc.boolean(),
  mode: fc.constantFrom('min' as const, 'max' as const),
  list: fc.array(anyNumber, { maxLength: 6 }),
  pair: fc.tuple(fc.string(), anyNumber),
  nested: fc.record({ a: anyNumber, b: fc.array(fc.string(), { maxLength: 3 }), c: fc.record({ d: fc.boolean() }) }),
  record: fc.dictionary(fc.string(), anyNumber, { maxKeys: 4, noNullPrototype: true }),
  data: stateData,
  tensors: tensorPerDType,
  layer: layerContent,
  layers: fc.tuple(layerContent, layerContent),
  map: fc.array(fc.tuple(fc.string(), fc.array(anyNumber, { maxLength: 3 })), { maxLength: 4 }),
  set: fc.array(anyNumber, { maxLength: 5 }),
  when: fc.date({ noInvalidDate: true }),
  big: fc.bigInt(),
  waypoint: waypointContent,
  route: fc.array(waypointContent, { maxLength: 3 }),
  maybe: fc.option(anyNumber, { nil: undefined }),
});

type Content = typeof content extends fc.Arbitrary<infer C> ? C : never;

function fillLayer(layer: Layer, c: Content['layer']): void {
  Object.assign(layer, c);
}

function waypoint(c: Content['waypoint']): Waypoint {
  return Object.assign(new Waypoint(), c);
}

function build(c: Content): Everything {
  const e = new Everything();
  Object.assign(e, {
    ...c,
    layer: e.layer,
    layers: e.layers,
    map: new Map(c.map),
    set: new Set(c.set),
    waypoint: waypoint(c.waypoint),
    route: c.route.map(waypoint),
  });
  fillLayer(e.layer, c.layer);
  c.layers.forEach((l, i) => fillLayer(e.layers[i]!, l));
  return e;
}

/** The persisted fields of an object, for deep comparison (stateful values by their own fields). */
function fieldsOf(e: Everything): Record<string, unknown> {
  return { ...e };
}

describe('reflective round trip', () => {
  it('saves every kind with its fixed encoding', () => {
    const e = new Everything();
    e.map = new Map([['k', [1]]]);
    e.set = new Set([3, 1]);
    e.when = new Date(1234);
    e.big = -(2n ** 80n);
    e.waypoint = Object.assign(new Waypoint(), { x: 1, name: 'w', at: new Date(99) });
    const state = stateDictOf(e);
    expect(state.map).toEqual([['k', [1]]]);
    expect(state.set).toEqual([3, 1]);
    expect(state.when).toBe(1234);
    expect(state.big).toBe('-1208925819614629174706176');
    expect(state.waypoint).toEqual({ x: 1, name: 'w', at: 99 });
    expect(state.layer).toEqual(methodsOf(e.layer).stateDict());
    expect(state).not.toHaveProperty('maybe');
    expect(Object.keys(state)).toEqual([
      'num', 'str', 'flag', 'none', 'mode', 'list', 'pair', 'nested', 'record', 'data', 'tensors', 'layer', 'layers',
      'map', 'set', 'when', 'big', 'waypoint', 'route',
    ]);
  });

  it('keeps NaN, -0, ±Infinity, invalid dates and empty containers exactly', () => {
    const e = new Everything();
    e.num = -0;
    e.list = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];
    e.record = { inf: Number.NEGATIVE_INFINITY };
    e.when = new Date(Number.NaN);
    e.data = { empty: [], none: {}, deep: [[[]]] };
    const loaded = new Everything();
    loaded.when = new Date(5);
    loadStateDictInto(loaded, stateDictOf(e));
    expect(Object.is(loaded.num, -0)).toBe(true);
    expect(loaded.list).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0]);
    expect(loaded.record).toEqual({ inf: Number.NEGATIVE_INFINITY });
    expect(Number.isNaN(loaded.when.getTime())).toBe(true);
    expect(loaded.data).toEqual({ empty: [], none: {}, deep: [[[]]] });
  });

  it('returns copies: changing a state never changes the component, tensors are shared', () => {
    const e = build(fc.sample(content, { seed: 7, numRuns: 1 })[0]!);
    e.list = [1, 2];
    e.nested.b = ['x'];
    const state = stateDictOf(e) as { list: number[]; nested: { b: string[] }; tensors: Record<string, Tensor> };
    state.list.push(3);
    state.nested.b.push('y');
    expect(e.list).toEqual([1, 2]);
    expect(e.nested.b).toEqual(['x']);
    for (const d of DTYPES) expect(state.tensors[d]).toBe(e.tensors[d]);
  });

  it('round-trips any content into a freshly constructed object', () => {
    fc.assert(
      fc.property(content, (c) => {
        const source = build(c);
        const state = stateDictOf(source);
        const target = new Everything();
        const result = loadStateDictInto(target, state);
        expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
        expect(fieldsOf(target)).toEqual(fieldsOf(source));
        expect(stateDictOf(target)).toEqual(state);
        expect(target.waypoint).toBeInstanceOf(Waypoint);
        expect(target.waypoint.at).toBeInstanceOf(Date);
        for (const w of target.route) expect(w).toBeInstanceOf(Waypoint);
        expect(target.map).toBeInstanceOf(Map);
        expect(target.set).toBeInstanceOf(Set);
      }),
      { numRuns: 60 },
    );
  });

  it('round-trips into an object holding other content of the same kinds, filling tensors in place', () => {
    fc.assert(
      fc.property(content, content, (a, b) => {
        const source = build(a);
        const target = build({ ...b, data: null });
        const before = { tensors: { ...target.tensors }, layer: target.layer, layers: [...target.layers], maybe: target.maybe };
        const layerWeight = target.layer.weight;
        const state = stateDictOf(source);
        methodsOf(target).loadStateDict(state);

        expect(fieldsOf(target)).toEqual({ ...fieldsOf(source), maybe: source.maybe ?? before.maybe });
        // Nested stateful objects are loaded in place.
        expect(target.layer).toBe(before.layer);
        expect(target.layers[0]).toBe(before.layers[0]);
        // Tensors of the same dtype and shape are filled in place, others replaced by copies.
        for (const d of DTYPES as readonly DType[]) {
          const old = before.tensors[d]!;
          const now = target.tensors[d]!;
          const fits = old.shape.join() === source.tensors[d]!.shape.join();
          expect(now === old).toBe(fits);
          expect(now).not.toBe(source.tensors[d]);
          expect(tensorEquals(now, source.tensors[d]!)).toBe(true);
        }
        expect(target.layer.weight === layerWeight).toBe(layerWeight.shape.join() === source.layer.weight.shape.join());
        // The loaded object shares no containers with the state it came from.
        expect(target.list).not.toBe(state.list);
        expect(target.nested).not.toBe(state.nested);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trips tensors of every dtype bit for bit, int64/uint64/bool included', () => {
    for (const dtype of DTYPES) {
      fc.assert(
        fc.property(tensorOf(dtype), (t) => {
          @stateful()
          class Holder {
            @persist({ resizable: true }) t: Tensor = zeros(dtype, [0]);
          }
          const source = new Holder();
          source.t = t;
          const target = new Holder();
          loadStateDictInto(target, stateDictOf(source));
          expect(isTensor(target.t)).toBe(true);
          expect(target.t).not.toBe(t);
          expect(tensorEquals(target.t, t)).toBe(true);
        }),
        { numRuns: 15 },
      );
    }
  });
});
