/**
 * Typia-style spoilers: each corrupts a valid state (saved from a random instance) and names the issue paths the load
 * must report. The load must throw one StateError with exactly those paths and leave the target exactly as it was,
 * although the rest of the corrupted state is valid and different from the target's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASES, type ClassCase, type Spoiler } from './support/cases.js';
import { load, loadError, snapshot, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const RUNS = { numRuns: 15 };

const rows = CASES.flatMap((c) => c.spoilers.map((s) => ({ case: c, spoiler: s, label: `${c.name}: ${s.name}` })));

function check(c: ClassCase, spoiler: Spoiler, strict: boolean): void {
  fc.assert(
    fc.property(c.instances('exact'), c.instances('exact'), (source, target) => {
      const state = structuredClone(stateOf(source));
      const expected = spoiler.spoil(state);
      const before = snapshot(target);
      const error = loadError(target, state, { strict });
      expect(error.issues.map((i) => i.path).sort()).toEqual([...expected].sort());
      expectSameState(snapshot(target), before);
    }),
    RUNS,
  );
}

describe('spoiled states are rejected and change nothing', () => {
  it('every case has spoilers and a valid state loads (the control for the spoilers)', () => {
    for (const c of CASES) {
      expect(c.spoilers.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(c.instances('exact'), c.instances('exact'), (source, target) => {
          load(target, structuredClone(stateOf(source)));
          expectSameState(stateOf(target), stateOf(source));
        }),
        { numRuns: 5 },
      );
    }
  });

  it.each(rows)('$label (strict)', ({ case: c, spoiler }) => check(c, spoiler, true));

  it.each(rows.filter((r) => !r.spoiler.strictOnly))('$label (non-strict: type errors fail too)', ({ case: c, spoiler }) =>
    check(c, spoiler, false),
  );

  it.each(CASES)('$name: a state that is not an object', (c) => {
    fc.assert(
      fc.property(c.instances('exact'), fc.constantFrom(null, undefined, 3, 'state', [], new Map()), (target, bad) => {
        const before = snapshot(target);
        const error = loadError(target, bad);
        expect(error.issues.map((i) => i.path)).toEqual([c.name]);
        expectSameState(snapshot(target), before);
      }),
      { numRuns: 10 },
    );
  });
});
