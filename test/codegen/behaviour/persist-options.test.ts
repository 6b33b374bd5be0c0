/** `@persist({ name, legacyNames, optional })`: the saved key, older keys accepted on load, and their precedence. */
import { describe, expect, it } from 'vitest';
import { EarlyStoppingState } from '../fixtures/persist-options/expected/early-stopping.state.generated.js';
import { EarlyStopping } from '../fixtures/persist-options/input/early-stopping.js';
import { build } from './support/instances.js';
import { load, loadError, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const saved = () =>
  build(EarlyStopping, { wait: 2, bestScore: 0.25, remaining: 5, note: 'n', learningRate: 0.5, valLoss: 1.5 });

describe('persist options', () => {
  it('saves under `name`, never under the property or a legacy name', () => {
    expectSameState(stateOf(saved()), { wait: 2, best_score: 0.25, remaining: 5, note: 'n', lr: 0.5, 'val-loss': 1.5 });
    expect(EarlyStoppingState.fields).toEqual([
      'wait',
      { property: 'bestScore', key: 'best_score' },
      { property: 'remaining', legacyNames: ['patience_left', 'left'] },
      { property: 'note', optional: true },
      { property: 'learningRate', key: 'lr', legacyNames: ['learning_rate'], optional: true },
      { property: 'valLoss', key: 'val-loss' },
    ]);
  });

  it('loads from a legacy name', () => {
    const { remaining, lr, ...rest } = stateOf(saved());
    const t = new EarlyStopping();
    expect(load(t, { ...rest, patience_left: remaining, learning_rate: lr })).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expectSameState(stateOf(t), stateOf(saved()));
  });

  it('accepts any of several legacy names', () => {
    const { remaining, ...rest } = stateOf(saved());
    const t = new EarlyStopping();
    load(t, { ...rest, left: remaining });
    expect(stateOf(t)).toMatchObject({ remaining: 5 });
  });

  it('prefers the current key when a legacy key is present too, and reports neither as unexpected', () => {
    const t = new EarlyStopping();
    expect(load(t, { ...stateOf(saved()), patience_left: 99, left: 98, learning_rate: 97 })).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
    });
    expect(stateOf(t)).toMatchObject({ remaining: 5, lr: 0.5 });
  });

  it('does not accept the property name of a renamed field', () => {
    const { best_score, ...rest } = stateOf(saved());
    const error = loadError(new EarlyStopping(), { ...rest, bestScore: best_score });
    expect(error.issues.map((i) => [i.path, i.kind]).sort()).toEqual([
      ['EarlyStopping.bestScore', 'unexpected'],
      ['EarlyStopping.best_score', 'missing'],
    ]);
  });

  it('reports a missing renamed key under its key in non-strict loads', () => {
    const { best_score: _, ...rest } = stateOf(saved());
    expect(load(new EarlyStopping(), rest, { strict: false }).missingKeys).toEqual(['EarlyStopping.best_score']);
  });
});
