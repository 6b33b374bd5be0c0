/**
 * Tensors load into the live tensors, with dtype and shape checked, alone and inside records, Maps, tuples and
 * arrays; the generated and the reflective engine behave the same (issue 7 §2).
 */
import {
  type LoadOptions,
  type LoadResult,
  persist,
  prepareLoad,
  StateError,
  stateful,
  type Tensor,
  tensor,
  zeros,
} from 'kindling';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Moments } from '../codegen/fixtures/tensors/input/tensors.js';

type Slot = { expAvg: Tensor<'float32'>; expAvgSq: Tensor<'float32'>; step: number };

/** The reflective twin of the generated `Moments` fixture. */
@stateful()
class ReflectiveMoments {
  @persist() shadow: Tensor<'float32'> = zeros('float32', [3]);
  @persist() perParam: Record<string, Slot> = {};
  @persist() byIndex: Map<number, Tensor<'float32'>> = new Map();
  @persist() pair: [Tensor<'float32'>, Tensor<'int32'>] = [zeros('float32', [1]), zeros('int32', [1])];
  @persist() history: Tensor<'float32'>[] = [];
  @persist() last: Tensor<'float32'> | null = null;
}

@stateful()
class ReflectiveResizable {
  @persist({ resizable: true }) shadow: Tensor<'float32'> = zeros('float32', [3]);
}

interface Fields {
  shadow: Tensor<'float32'>;
  perParam: Record<string, Slot>;
  byIndex: Map<number, Tensor<'float32'>>;
  pair: [Tensor<'float32'>, Tensor<'int32'>];
  history: Tensor<'float32'>[];
  last: Tensor<'float32'> | null;
}
type Loadable = Fields & { loadStateDict(state: unknown, options?: LoadOptions): LoadResult; stateDict(): Record<string, unknown> };

const f32 = (values: number[]) => tensor('float32', [values.length], values);
const slot = (a: number[], b: number[], step = 1): Slot => ({ expAvg: f32(a), expAvgSq: f32(b), step });

function live(make: () => object): Loadable {
  const m = make() as Loadable;
  m.perParam = { w: slot([0, 0], [0, 0], 0) };
  m.byIndex = new Map([[0, f32([0])]]);
  m.history = [f32([0])];
  return m;
}

function state(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shadow: f32([1, 2, 3]),
    perParam: { w: slot([1, 2], [3, 4], 5) },
    byIndex: [[0, f32([6])]],
    pair: [f32([7]), tensor('int32', [1], [8])],
    history: [f32([9])],
    last: null,
    ...overrides,
  };
}

function loadError(m: Loadable, s: unknown, options?: LoadOptions): StateError {
  try {
    m.loadStateDict(s, options);
  } catch (e) {
    expect(e).toBeInstanceOf(StateError);
    return e as StateError;
  }
  return expect.fail('expected a StateError');
}

afterEach(() => vi.restoreAllMocks());

describe.each([
  ['generated', () => new Moments() as object],
  ['reflective', () => new ReflectiveMoments() as object],
])('tensors in place (%s engine)', (_engine, make) => {
  it('fill the live tensors, keeping every reference valid, inside records, Maps, tuples and arrays too', () => {
    const m = live(make);
    const held = [m.shadow, m.perParam.w!.expAvg, m.perParam.w!.expAvgSq, m.byIndex.get(0)!, m.pair[0], m.pair[1], m.history[0]!];
    const given = state();
    m.loadStateDict(given);
    const now = [m.shadow, m.perParam.w!.expAvg, m.perParam.w!.expAvgSq, m.byIndex.get(0)!, m.pair[0], m.pair[1], m.history[0]!];
    now.forEach((t, i) => expect(t).toBe(held[i]));
    expect(Array.from(m.shadow.data)).toEqual([1, 2, 3]);
    expect(Array.from(m.perParam.w!.expAvgSq.data)).toEqual([3, 4]);
    expect(m.perParam.w!.step).toBe(5);
    expect(Array.from(m.byIndex.get(0)!.data)).toEqual([6]);
    expect(Array.from(m.pair[1].data)).toEqual([8]);
    expect(m.shadow.data).not.toBe((given.shadow as Tensor).data);
  });

  it('refuse a shape mismatch, naming both shapes, and change nothing', () => {
    const m = live(make);
    const error = loadError(m, state({ shadow: f32([1, 2, 3, 4]), history: [f32([5])] }));
    expect(error.message).toBe('Moments.shadow: expected float32[3], got float32[4]'.replace('Moments', m.constructor.name));
    expect(Array.from(m.shadow.data)).toEqual([0, 0, 0]);
    expect(Array.from(m.history[0]!.data)).toEqual([0]);
  });

  it('refuse a shape mismatch deep inside a record of optimizer slots', () => {
    const m = live(make);
    const error = loadError(m, state({ perParam: { w: slot([1, 2, 3], [3, 4]) } }));
    expect(error.issues).toEqual([
      { path: `${m.constructor.name}.perParam.w.expAvg`, kind: 'type', expected: 'float32[2]', actual: 'float32[3]' },
    ]);
    expect(Array.from(m.shadow.data)).toEqual([0, 0, 0]);
  });

  it('create record and Map entries the state has and the live value lacks, as copies', () => {
    const m = live(make);
    const given = state({ perParam: { w: slot([1, 2], [3, 4]), b: slot([5], [6]) }, byIndex: [[0, f32([1])], [1, f32([2])]] });
    m.loadStateDict(given);
    expect(Array.from(m.perParam.b!.expAvg.data)).toEqual([5]);
    expect(m.perParam.b!.expAvg.data).not.toBe((given.perParam as Record<string, Slot>).b!.expAvg.data);
    expect(Array.from(m.byIndex.get(1)!.data)).toEqual([2]);
  });

  it('report live entries the state lacks as missing: an error when strict, kept when not', () => {
    const m = live(make);
    const name = m.constructor.name;
    const error = loadError(m, state({ perParam: {} }));
    expect(error.issues.map((i) => [i.path, i.kind])).toEqual([[`${name}.perParam.w`, 'missing']]);
    const kept = m.perParam.w!.expAvg;
    const result = m.loadStateDict(state({ perParam: {}, byIndex: [] }), { strict: false });
    expect(result.missingKeys).toEqual([`${name}.perParam.w`, `${name}.byIndex.get(0)`]);
    expect(m.perParam.w!.expAvg).toBe(kept);
    expect(m.byIndex.get(0)).toBeDefined();
  });

  it('validate without copying a single tensor', () => {
    const m = live(make);
    const slices = vi.spyOn(Float32Array.prototype, 'slice');
    const plan = prepareLoad(m, state({ perParam: { w: slot([1, 2], [3, 4]), b: slot([5], [6]) } }), 'm');
    expect(plan.issues).toEqual([]);
    expect(slices).not.toHaveBeenCalled();
    plan.commit();
    expect(slices).toHaveBeenCalledTimes(2);
  });
});

describe('resizable tensors', () => {
  it('replace the live tensor with a copy when the shape differs (generated)', async () => {
    const { Tensors } = await import('../codegen/fixtures/tensors/input/tensors.js');
    const t = new Tensors() as unknown as { weights: Tensor; loadStateDict(s: unknown): void; stateDict(): Record<string, unknown> };
    const before = t.weights;
    const incoming = tensor('float32', [1], [5]);
    t.loadStateDict({ ...t.stateDict(), weights: incoming });
    expect(t.weights).not.toBe(before);
    expect(t.weights.data).not.toBe(incoming.data);
    expect(t.weights.shape).toEqual([1]);
  });

  it('replace the live tensor with a copy when the shape differs (reflective)', () => {
    const r = new ReflectiveResizable() as ReflectiveResizable & { loadStateDict(s: unknown): void };
    const before = r.shadow;
    r.loadStateDict({ shadow: f32([1]) });
    expect(r.shadow).not.toBe(before);
    expect(Array.from(r.shadow.data)).toEqual([1]);
  });
});
