/**
 * Value kinds through generated code: a branded class (here a fake parameter wrapping a Float32Array, as tfjs
 * Variables will be) is recognised by codegen, saved by its kind, validated against the live value and committed by
 * the kind only once everything validated.
 */
import { registerValueKind, type Tensor, tensor, UnregisteredValueKindError } from 'kindling';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commits, FakeParam, fakeParamKind, Scale } from '../fixtures/value-kinds/input/fake-param.js';
import { Dense, Net } from '../fixtures/value-kinds/input/layers.js';
import { load, loadError, stateOf } from './support/untyped.js';

beforeAll(() => registerValueKind(fakeParamKind));
beforeEach(() => {
  commits.length = 0;
});

const f32 = (shape: number[], values: number[]): Tensor => tensor('float32', shape, values);
const scale = (x: number): Tensor => tensor('float64', [], [x]);

function denseState(weight: Tensor = f32([2, 3], [1, 2, 3, 4, 5, 6])): Record<string, unknown> {
  return { weight, extras: [f32([2], [7, 8])], table: { a: f32([1], [9]) }, spare: null, lib: null, scale: scale(2) };
}

describe('value kinds (generated code)', () => {
  it('saves each field with its kind: a tensor sharing the parameter memory', () => {
    const d = new Dense();
    d.weight.values.set([1, 2, 3, 4, 5, 6]);
    const state = stateOf(d) as { weight: Tensor; extras: Tensor[]; table: Record<string, Tensor>; scale: Tensor };
    expect(state.weight).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(state.weight.data).toBe(d.weight.values);
    expect(state.extras[0]!.data).toBe(d.extras[0]!.values);
    expect(state.table.a!.data).toBe(d.table.a!.values);
    expect(Array.from(state.scale.data as Float64Array)).toEqual([1]);
  });

  it('loads into the live parameters, in arrays and records too, keeping their identity', () => {
    const d = new Dense();
    const [weight, extra, entry] = [d.weight, d.extras[0], d.table.a];
    load(d, denseState());
    expect(d.weight).toBe(weight);
    expect(d.extras[0]).toBe(extra);
    expect(d.table.a).toBe(entry);
    expect(Array.from(d.weight.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(d.extras[0]!.values)).toEqual([7, 8]);
    expect(Array.from(d.table.a!.values)).toEqual([9]);
    expect(d.scale.factor).toBe(2);
  });

  it('creates values the live component does not have (a record entry, a null field)', () => {
    const d = new Dense();
    load(d, { ...denseState(), table: { a: f32([1], [1]), b: f32([2], [3, 4]) }, spare: f32([1], [5]) });
    expect(d.table.b).toBeInstanceOf(FakeParam);
    expect(Array.from(d.table.b!.values)).toEqual([3, 4]);
    expect(d.spare).toBeInstanceOf(FakeParam);
  });

  it('reports a shape mismatch with both shapes and changes nothing', () => {
    const d = new Dense();
    d.weight.values.fill(-1);
    const error = loadError(d, denseState(f32([3, 2], [1, 2, 3, 4, 5, 6])));
    expect(error.message).toBe('Dense.weight: expected float32[2,3], got float32[3,2]');
    expect(Array.from(d.weight.values)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(d.scale.factor).toBe(1);
    expect(commits).toEqual([]);
  });

  it('commits no kind until every field of every nested component validated', () => {
    const net = new Net();
    const bad = { ...denseState(), extras: [f32([3], [1, 2, 3])] };
    const error = loadError(net, { first: denseState(), second: bad, step: 1 });
    expect(error.issues.map((i) => i.path)).toEqual(['Net.second.extras[0]']);
    expect(commits).toEqual([]);
    expect(Array.from(net.first.weight.values)).toEqual([0, 0, 0, 0, 0, 0]);
    load(net, { first: denseState(), second: denseState(), step: 1 });
    expect(commits).toHaveLength(6);
  });

  it('reports a value its kind refuses, with the kind’s own message', () => {
    const error = loadError(new Dense(), { ...denseState(), weight: 'heavy' });
    expect(error.issues).toEqual([{ path: 'Dense.weight', kind: 'type', expected: 'float32 tensor', actual: 'string' }]);
  });

  it('refuses to save a field that does not hold a value of its kind', () => {
    const d = new Dense();
    (d as { weight: unknown }).weight = f32([2, 3], [0, 0, 0, 0, 0, 0]);
    expect(() => stateOf(d)).toThrow(/expected FakeParam \(float32 tensor\) \(value kind 'test\.FakeParam'\), got Tensor<float32>\[2, 3\]/);
  });

  it('names the kind and how to register it when a field’s kind was never registered', () => {
    const d = new Dense();
    const attempt = () => load(d, { ...denseState(), lib: f32([1], [1]) });
    expect(attempt).toThrow(UnregisteredValueKindError);
    expect(attempt).toThrow(/value kind 'test\.LibParam' is not registered: register it with registerValueKind\(\)/);
    expect(commits).toEqual([]);
  });

  it('uses a @persist({ codec }) kind for its field, in place', () => {
    const d = new Dense();
    const live = d.scale;
    load(d, denseState());
    expect(d.scale).toBe(live);
    expect(d.scale).toBeInstanceOf(Scale);
    const error = loadError(d, { ...denseState(), scale: f32([1], [1]) });
    expect(error.message).toBe('Dense.scale: expected float64 scalar tensor, got object');
  });

  it('refuses a second kind under a registered name', () => {
    expect(() => registerValueKind({ ...fakeParamKind })).toThrow(/already registered/);
    expect(() => registerValueKind(fakeParamKind)).not.toThrow();
  });
});
