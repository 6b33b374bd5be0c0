/**
 * The hook shims each generated XState carries for the trainer's checkpoint connector: save under a key; load from
 * the current key, else the class name, its snake_case form or a `legacyKeys` entry; accept state returned by a
 * pre-standard onSaveCheckpoint() with a one-time deprecation warning.
 */
import { LEGACY_HOOK_RETURN_WARNING, StateError } from 'kindling';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EarlyStoppingState } from '../fixtures/persist-options/expected/early-stopping.state.generated.js';
import { PrimitivesState } from '../fixtures/primitives/expected/primitives.state.generated.js';
import { EarlyStopping } from '../fixtures/persist-options/input/early-stopping.js';
import { Primitives } from '../fixtures/primitives/input/primitives.js';
import { build } from './support/instances.js';
import { snapshot, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const shims = EarlyStoppingState.shims;
const saved = () =>
  build(EarlyStopping, { wait: 2, bestScore: 0.25, remaining: 5, note: 'n', learningRate: 0.5, valLoss: 1.5 });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('save', () => {
  it('writes the state under the given key and leaves other keys alone', () => {
    const section: Record<string, unknown> = { other: 1 };
    shims.save(saved(), section, 'EarlyStopping');
    expectSameState(section, { other: 1, EarlyStopping: stateOf(saved()) });
  });
});

describe('load', () => {
  it.each([
    ['the current key', 'callbacks/EarlyStopping'],
    ['the class name', 'EarlyStopping'],
    ['the snake_case class name', 'early_stopping'],
    ['a @stateful({ legacyKeys }) entry', 'early_stop'],
  ])('finds the state under %s', (_, key) => {
    const t = new EarlyStopping();
    const used = shims.load(t, { [key]: stateOf(saved()), unrelated: { wait: 'x' } }, 'callbacks/EarlyStopping');
    expect(used).toBe(key);
    expectSameState(stateOf(t), stateOf(saved()));
  });

  it('prefers the current key over legacy keys', () => {
    const t = new EarlyStopping();
    const legacy = stateOf(new EarlyStopping());
    const used = shims.load(t, { EarlyStopping: legacy, early_stopping: legacy, now: stateOf(saved()) }, 'now');
    expect(used).toBe('now');
    expectSameState(stateOf(t), stateOf(saved()));
  });

  it('returns undefined and changes nothing when no key matches', () => {
    const t = saved();
    const before = snapshot(t);
    expect(shims.load(t, { Somebody: {} }, 'EarlyStoppingCallback')).toBeUndefined();
    expectSameState(snapshot(t), before);
  });

  it('validates like loadStateDict (strict by default, non-strict on request) and changes nothing on error', () => {
    const t = new EarlyStopping();
    const before = snapshot(t);
    expect(() => shims.load(t, { early_stop: { ...stateOf(saved()), wait: 'x' } }, 'cb')).toThrow(StateError);
    expect(() => shims.load(t, { early_stop: { ...stateOf(saved()), extra: 1 } }, 'cb')).toThrow(StateError);
    expectSameState(snapshot(t), before);
    expect(shims.load(t, { early_stop: { ...stateOf(saved()), extra: 1 } }, 'cb', { strict: false })).toBe('early_stop');
    expectSameState(stateOf(t), stateOf(saved()));
  });

  it('lists the class name and its snake_case form among the legacy keys', () => {
    expect(EarlyStoppingState.legacyKeys).toEqual(expect.arrayContaining(['EarlyStopping', 'early_stopping', 'early_stop']));
  });
});

describe('fromLegacyHookReturn', () => {
  it('returns undefined without warning when the hook returned nothing', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    expect(EarlyStoppingState.shims.fromLegacyHookReturn(saved(), undefined)).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepts a returned state, warning once per class', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const p = build(Primitives, { count: 3 });
    const returned = stateOf(p);
    expect(PrimitivesState.shims.fromLegacyHookReturn(p, returned)).toBe(returned);
    expect(PrimitivesState.shims.fromLegacyHookReturn(p, returned)).toBe(returned);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('Primitives'),
      expect.objectContaining({ type: 'DeprecationWarning', code: LEGACY_HOOK_RETURN_WARNING }),
    );
    // Another class warns once too.
    EarlyStoppingState.shims.fromLegacyHookReturn(saved(), stateOf(saved()));
    EarlyStoppingState.shims.fromLegacyHookReturn(saved(), stateOf(saved()));
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('rejects a returned value that is not a valid state, so no unloadable checkpoint is written', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const p = new Primitives();
    const before = snapshot(p);
    expect(() => PrimitivesState.shims.fromLegacyHookReturn(p, { count: 'three' })).toThrow(StateError);
    expectSameState(snapshot(p), before);
  });

  it('is not installed as a hook on the class', () => {
    for (const name of ['onSaveCheckpoint', 'onLoadCheckpoint', 'shims']) {
      expect(name in EarlyStopping.prototype).toBe(false);
    }
  });
});
