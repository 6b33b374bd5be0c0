/**
 * For random instances of every golden fixture class, the generated stateDict() equals the reflective engine's
 * (the reference implementation), lists its keys in the contract's order, and returns copies.
 */
import fc from 'fast-check';
import { isTensor, stateDictOf } from 'kindling';
import { describe, expect, it } from 'vitest';
import { CASES } from './support/cases.js';
import { stateOf } from './support/untyped.js';
import { expectSameState } from './support/same-state.js';

const RUNS = { numRuns: 60 };

/** Overwrites every array element and object property in place (tensors are shared by design, so they are skipped). */
function scramble(value: unknown): void {
  if (typeof value !== 'object' || value === null || isTensor(value)) return;
  const node = value as Record<string, unknown>;
  for (const k of Object.keys(node)) {
    scramble(node[k]);
    node[k] = '<scrambled>';
  }
}

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
        scramble(stateOf(x));
        expectSameState(stateOf(x), before);
      }),
      RUNS,
    );
  });
});
