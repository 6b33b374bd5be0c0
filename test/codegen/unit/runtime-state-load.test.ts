import { describe, expect, it } from 'vitest';
import { runLoad } from '../../../src/state/load-plan.js';
import * as rt from '../../../src/state/generated-runtime/index.js';

class Target {
  n = 0;
  note: string | undefined = 'keep';
}

/** A hand-written equivalent of a generated prepareLoad, over the runtime only. */
function prepare(self: Target, state: unknown, options: { strict?: boolean } = {}) {
  const load = new rt.StateLoad(self, state, 'Target', options, new Set(['n', 'old_n', 'note']));
  const n = load.field('n', ['old_n'], 'required', rt.number);
  const note = load.field('note', [], 'undefinable', rt.string);
  return load.plan(() => {
    if (n !== rt.ABSENT) self.n = n;
    if (note !== rt.ABSENT) self.note = note;
  });
}

describe('StateLoad', () => {
  it('collects every issue and commits nothing when any is found', () => {
    const t = new Target();
    const plan = prepare(t, { n: 'x', note: 3, other: 1 });
    expect(plan.issues.map((i) => i.path)).toEqual(['Target.other', 'Target.n', 'Target.note']);
    expect(() => runLoad(plan)).toThrow(/3 problems in state/);
    expect(t).toEqual({ n: 0, note: 'keep' });
  });

  it('takes a legacy key when the current key is absent, the current key when both are present', () => {
    const t = new Target();
    runLoad(prepare(t, { old_n: 4 }));
    expect(t.n).toBe(4);
    runLoad(prepare(t, { n: 5, old_n: 4 }));
    expect(t.n).toBe(5);
    expect(prepare(t, { old_n: 'x' }).issues[0]?.path).toBe('Target.old_n');
  });

  it('loads an absent ? field as undefined: the saved value was undefined', () => {
    const t = new Target();
    runLoad(prepare(t, { n: 1 }));
    expect(t.note).toBeUndefined();
  });

  it('reports missing and unexpected keys in non-strict loads instead of failing', () => {
    const t = new Target();
    const result = runLoad(prepare(t, { note: 'x', extra: true }, { strict: false }));
    expect(result).toEqual({ missingKeys: ['Target.n'], unexpectedKeys: ['Target.extra'] });
    expect(t).toEqual({ n: 0, note: 'x' });
  });

  it('refuses a state that is not an object, naming the component', () => {
    const plan = prepare(new Target(), [1]);
    expect(plan.issues).toEqual([{ path: 'Target', kind: 'type', expected: 'object (the state of Target)', actual: 'array' }]);
  });

  it('prepares nested components first and commits them with the parent', () => {
    const inner = new Target();
    const outerCommitted: string[] = [];
    // The two-phase loader travels on the installed loadStateDict (see PREPARE_LOAD in load-plan.ts).
    const prepare = (self: Target, state: unknown, path: string, options: { strict?: boolean }) => {
      const load = new rt.StateLoad(self, state, path, options, new Set(['n']));
      const n = load.field('n', [], 'required', rt.number);
      return load.plan(() => {
        if (n !== rt.ABSENT) self.n = n;
        outerCommitted.push('inner');
      });
    };
    const innerLoader = {
      loadStateDict: Object.assign(() => {
        throw new Error('not called: nested loads go through the two-phase loader');
      }, { [Symbol.for('kindling:prepare-load')]: prepare }),
    };
    Object.setPrototypeOf(inner, Object.assign(Object.create(Target.prototype), innerLoader));
    const load = new rt.StateLoad({}, { inner: { n: 'bad' } }, 'Outer', {}, new Set(['inner']));
    load.stateful(inner, 'Target', 'inner', [], 'required');
    const bad = load.plan(() => outerCommitted.push('outer'));
    expect(bad.issues.map((i) => i.path)).toEqual(['Outer.inner.n']);

    const ok = new rt.StateLoad({}, { inner: { n: 7 } }, 'Outer', {}, new Set(['inner']));
    ok.stateful(inner, 'Target', 'inner', [], 'required');
    runLoad(ok.plan(() => outerCommitted.push('outer')));
    expect(inner.n).toBe(7);
    expect(outerCommitted).toEqual(['inner', 'outer']);
  });
});
