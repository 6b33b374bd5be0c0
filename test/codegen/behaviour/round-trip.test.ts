/**
 * A state saved from one random instance and loaded into another makes the second one save the same state: through
 * JSON (for JSON-safe values) and through structuredClone (for everything: NaN, ±Infinity, -0, invalid dates,
 * tensors).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { scramble } from './support/scramble.js';
import { load, stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const RUNS = { numRuns: 60 };

describe.each(CASES)('$name: round trip', (c) => {
  it.runIf(c.json)('through JSON', () => {
    fc.assert(
      fc.property(c.instances('json'), c.instances('json'), (source, target) => {
        const saved = stateOf(source);
        const result = load(target, JSON.parse(JSON.stringify(saved)));
        expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
        expectSameState(stateOf(target), saved);
      }),
      RUNS,
    );
  });

  it('through structuredClone, bit for bit', () => {
    fc.assert(
      fc.property(c.instances('exact'), c.instances('exact'), (source, target) => {
        const saved = stateOf(source);
        load(target, structuredClone(saved));
        expectSameState(stateOf(target), saved);
      }),
      RUNS,
    );
  });

  it('keeps no reference to the loaded state', () => {
    fc.assert(
      fc.property(c.instances('exact'), c.instances('exact'), (source, target) => {
        const given = structuredClone(stateOf(source));
        load(target, given);
        const loaded = structuredClone(stateOf(target));
        scramble(given, 'overwrite');
        expectSameState(stateOf(target), loaded);
      }),
      RUNS,
    );
  });
});
