/** Load errors suggest the likely fix (issue 7 §5): a renamed field, a field newer than the checkpoint, a missing section. */
import { persist, restoreAll, StateError, stateful, suggestFixes } from 'kindling';
import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../codegen/fixtures/persist-options/input/early-stopping.js';

@stateful()
class Patience {
  @persist() patience = 3;
  @persist() best = 0;
}

function errorOf(run: () => unknown): StateError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(StateError);
    return e as StateError;
  }
  return expect.fail('expected a StateError');
}

const load = (target: object, state: unknown) => (target as { loadStateDict(s: unknown): unknown }).loadStateDict(state);

describe('load error suggestions', () => {
  it('one missing and one unexpected key of compatible types: renamed? add legacyNames', () => {
    const error = errorOf(() => load(new Patience(), { wait: 5, best: 1 }));
    expect(error.message).toBe(
      '2 problems in state:\n' +
        '  Patience.patience: missing (expected number)\n' +
        '  Patience.wait: unexpected key (got number)\n' +
        "Patience.patience is missing and Patience.wait unexpected: renamed? add `legacyNames: ['wait']` to the @persist() of patience",
    );
  });

  it('the same through generated code', () => {
    const es = new EarlyStopping() as unknown as { stateDict(): Record<string, unknown> };
    const { wait, ...rest } = es.stateDict();
    const error = errorOf(() => load(es, { ...rest, waited: wait }));
    expect(error.message).toContain("renamed? add `legacyNames: ['waited']` to the @persist() of wait");
  });

  it('types that do not match are not called a rename', () => {
    expect(suggestFixes([
      { path: 'P.patience', kind: 'missing', expected: 'number', actual: 'nothing' },
      { path: 'P.note', kind: 'unexpected', expected: '', actual: 'string' },
    ])).toEqual([
      'new field? mark it `optional: true` in its @persist(), or load with `strict: false` (missing keys are then listed, not errors)',
    ]);
  });

  it('a key missing from an older checkpoint: new field? optional or strict: false', () => {
    const error = errorOf(() => load(new Patience(), { best: 1 }));
    expect(error.message).toBe(
      'Patience.patience: missing (expected number)\n' +
        'new field? mark it `optional: true` in its @persist(), or load with `strict: false` (missing keys are then listed, not errors)',
    );
  });

  it('a section that does not exist names the sections that do', () => {
    const error = errorOf(() => restoreAll({ callbacks: { Patience: new Patience() } }, { module: {}, optimizers: {}, epoch: 3 }));
    expect(error.message).toContain('callbacks: missing (expected a section with the states of Patience; the checkpoint has the sections module, optimizers)');
  });

  it('type errors alone get no suggestion', () => {
    expect(errorOf(() => load(new Patience(), { patience: 'x', best: 1 })).message).toBe('Patience.patience: expected number, got string');
  });
});
