/**
 * Nested @stateful components are validated before anything is assigned anywhere, and loaded into the existing
 * instances; tensors are loaded into the existing tensor when dtype and shape match.
 */
import { tensor, type Tensor, zeros } from 'kindling';
import { describe, expect, it } from 'vitest';
import { InnerCounter } from '../fixtures/nested-stateful/input/inner.js';
import { Middle, Outer } from '../fixtures/nested-stateful/input/outer.js';
import { Tensors } from '../fixtures/tensors/input/tensors.js';
import { build } from './support/instances.js';
import { load, loadError, snapshot, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

function outer(name: string, count: number, scale: number): Outer {
  const inner = build(InnerCounter, { count, mode: 'max' });
  const middle = build(Middle, { inner, scale });
  return build(Outer, { name, middle, direct: build(InnerCounter, { count: count + 1, mode: 'max' }) });
}

describe('nested @stateful components', () => {
  it('delegate stateDict() to the nested component', () => {
    expectSameState(stateOf(outer('o', 3, 2)), {
      name: 'o',
      middle: { inner: { count: 3, mode: 'max' }, scale: 2 },
      direct: { count: 4, mode: 'max' },
    });
  });

  it('are validated before anything changes: a bad innermost value leaves every level untouched', () => {
    const state = stateOf(outer('saved', 10, 20)) as { middle: { inner: { mode: unknown } } };
    state.middle.inner.mode = 'sideways';
    const t = outer('current', 1, 2);
    const before = snapshot(t);
    const error = loadError(t, state);
    expect(error.issues.map((i) => i.path)).toEqual(['Outer.middle.inner.mode']);
    expectSameState(snapshot(t), before);
  });

  it('are validated before anything changes: a bad outer value leaves the nested components untouched', () => {
    const state = { ...stateOf(outer('saved', 10, 20)), name: 5 };
    const t = outer('current', 1, 2);
    const before = snapshot(t);
    loadError(t, state);
    expectSameState(snapshot(t), before);
  });

  it('load into the existing nested instances', () => {
    const t = outer('current', 1, 2);
    const { middle, direct } = t;
    const inner = t.middle.inner;
    load(t, stateOf(outer('saved', 10, 20)));
    expect(t.middle).toBe(middle);
    expect(t.middle.inner).toBe(inner);
    expect(t.direct).toBe(direct);
    expectSameState(stateOf(t), stateOf(outer('saved', 10, 20)));
  });
});

describe('tensor fields', () => {
  const fresh = () =>
    build(Tensors, {
      weights: tensor('float32', [2, 2], [1, 2, 3, 4]),
      anyDtype: zeros('float64', [1]),
      steps: null,
      moments: [zeros('float32', [2])],
      buffers: { running: zeros('float32', [2]) },
      half: zeros('bfloat16', [1]),
      mask: zeros('bool', [2]),
    });

  it('are shared, not copied, by stateDict() (as torch does)', () => {
    const t = fresh();
    expect((stateOf(t) as { weights: Tensor }).weights).toBe(t.weights);
  });

  it('are filled in place when dtype and shape match, so references held elsewhere stay valid', () => {
    const t = fresh();
    const weights = t.weights;
    const incoming = tensor('float32', [2, 2], [5, 6, 7, 8]);
    load(t, { ...stateOf(t), weights: incoming });
    expect(t.weights).toBe(weights);
    expect(Array.from(weights.data)).toEqual([5, 6, 7, 8]);
    expect(t.weights.data).not.toBe(incoming.data);
  });

  it('are replaced by a copy when the shape differs', () => {
    const t = fresh();
    const weights = t.weights;
    const incoming = tensor('float32', [3], [5, 6, 7]);
    load(t, { ...stateOf(t), weights: incoming });
    expect(t.weights).not.toBe(weights);
    expect(t.weights.data).not.toBe(incoming.data);
    expectSameState(t.weights, incoming);
    expect(Array.from(weights.data)).toEqual([1, 2, 3, 4]);
  });

  it('inside containers are copies of the loaded tensors', () => {
    const t = fresh();
    const incoming = tensor('float32', [2], [9, 9]);
    load(t, { ...stateOf(t), moments: [incoming], buffers: { running: incoming } });
    expect(t.moments[0]).not.toBe(incoming);
    expect(t.moments[0]!.data).not.toBe(incoming.data);
    expect(t.buffers.running!.data).not.toBe(incoming.data);
    expectSameState(t.moments[0], incoming);
  });
});
