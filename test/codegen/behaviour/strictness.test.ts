/** Strict (default) and non-strict loads: missing and unexpected keys, at the top level and in nested components. */
import { describe, expect, it } from 'vitest';
import { Outer } from '../fixtures/nested-stateful/input/outer.js';
import { OptionalNullable } from '../fixtures/optional-nullable/input/optional-nullable.js';
import { EarlyStopping } from '../fixtures/persist-options/input/early-stopping.js';
import { Primitives } from '../fixtures/primitives/input/primitives.js';
import { build } from './support/instances.js';
import { load, loadError, snapshot, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const source = () =>
  build(Primitives, { count: 7, ratio: 0.25, label: 'saved', enabled: true, nothing: null, runId: 'run-7' });
const target = () => build(Primitives, { count: 1, ratio: 1, label: 'current', enabled: false, runId: 'run-1' });

describe('strict loads (the default)', () => {
  it('report a missing key and load nothing', () => {
    const state = stateOf(source());
    delete state.label;
    const t = target();
    const before = snapshot(t);
    const error = loadError(t, state);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'Primitives.label', kind: 'missing' })]);
    expectSameState(snapshot(t), before);
  });

  it('report an unexpected key and load nothing', () => {
    const t = target();
    const before = snapshot(t);
    const error = loadError(t, { ...stateOf(source()), extra: [1] }, { strict: true });
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'Primitives.extra', kind: 'unexpected', actual: 'array' }),
    ]);
    expectSameState(snapshot(t), before);
  });

  it('say in the message what is wrong and where', () => {
    const error = loadError(target(), { ...stateOf(source()), count: 'x' });
    expect(error.message).toContain('Primitives.count');
    expect(error.message).toContain('number');
    expect(error.message).toContain('string');
  });
});

describe('non-strict loads', () => {
  it('keep fields whose keys are missing, ignore unexpected keys, and report both', () => {
    const state: Record<string, unknown> = { ...stateOf(source()), extra: 1, 'odd key': 2 };
    delete state.label;
    delete state.enabled;
    const t = target();
    const result = load(t, state, { strict: false });
    expect(result).toEqual({
      missingKeys: ['Primitives.label', 'Primitives.enabled'],
      unexpectedKeys: ['Primitives.extra', 'Primitives["odd key"]'],
    });
    expectSameState(stateOf(t), { ...stateOf(source()), label: 'current', enabled: false });
  });

  it('report nested missing and unexpected keys with full paths', () => {
    const saved = build(Outer, { name: 'saved' });
    const state = stateOf(saved) as { middle: { inner: Record<string, unknown> }; direct: Record<string, unknown> };
    delete state.middle.inner.count;
    state.direct.extra = true;
    const t = new Outer();
    const result = load(t, state, { strict: false });
    expect(result).toEqual({ missingKeys: ['Outer.middle.inner.count'], unexpectedKeys: ['Outer.direct.extra'] });
    expect(t.name).toBe('saved');
  });

  it('still fail on type errors', () => {
    const t = target();
    const before = snapshot(t);
    loadError(t, { ...stateOf(source()), ratio: '0.5', extra: 1 }, { strict: false });
    expectSameState(snapshot(t), before);
  });
});

describe('optional keys', () => {
  it('@persist({ optional: true }): an absent key keeps the value and is not reported, strict or not', () => {
    for (const strict of [true, false]) {
      const saved = build(EarlyStopping, { wait: 4, note: 'saved', learningRate: 0.5 });
      const state = stateOf(saved);
      delete state.note;
      delete state.lr;
      const t = build(EarlyStopping, { note: 'kept', learningRate: 0.01 });
      expect(load(t, state, { strict })).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(stateOf(t)).toMatchObject({ wait: 4, note: 'kept', lr: 0.01 });
    }
  });

  it('`?` and `| undefined` fields: an absent key means the saved value was undefined', () => {
    const saved = build(OptionalNullable, { best: 1, lastError: null, checkpoints: null });
    const state = stateOf(saved);
    expect(Object.keys(state)).not.toContain('note');
    expect(Object.keys(state)).not.toContain('lastSeen');
    const t = build(OptionalNullable, { note: 'old', lastSeen: 'old', window: { size: 1 } });
    expect(load(t, state)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(t.note).toBeUndefined();
    expect(t.lastSeen).toBeUndefined();
    expect(t.window).toBeUndefined();
    expectSameState(stateOf(t), state);
  });

  it('an explicit undefined value counts as absent', () => {
    const t = build(OptionalNullable, { note: 'old' });
    load(t, { ...stateOf(new OptionalNullable()), note: undefined });
    expect(t.note).toBeUndefined();
  });
});
