/**
 * For random instances of every golden fixture class, the generated stateDict() equals the reflective engine's
 * (the reference implementation), lists its keys in the contract's order, and returns copies.
 */
import fc from 'fast-check';
import { stateDictOf } from 'kindling';
import { describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { scramble } from './support/scramble.js';
import { stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const RUNS = { numRuns: 60 };

describe.each(CASES)('$name: generated stateDict()', (c) => {
  it('equals the reflective engine’s state dict', () => {
    fc.assert(
      fc.property(c.instances('exact'), (x) => {
        expectSameState(stateOf(x), stateDictOf(x));
      }),
      RUNS,
    );
  });

  it('lists keys in state order (inherited first, `name` applied, undefined fields absent)', () => {
    fc.assert(
      fc.property(c.instances('exact'), (x) => {
        const present = c.keys.filter((k) => stateDictOf(x)[k] !== undefined);
        expect(Object.keys(stateOf(x))).toEqual(present);
      }),
      RUNS,
    );
  });

  it('returns copies: changing a returned state never changes the component', () => {
    fc.assert(
      fc.property(c.instances('exact'), (x) => {
        const before = structuredClone(stateOf(x));
        scramble(stateOf(x), 'keep');
        expectSameState(stateOf(x), before);
      }),
      RUNS,
    );
  });
});
