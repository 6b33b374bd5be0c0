/**
 * A class that writes its own loadStateDict keeps it, also when it is loaded as a nested value (through prepareLoad)
 * and when it inherits from a @stateful class whose loader kindling installed.
 */
import { describe, expect, it } from 'vitest';
import { persist, stateful } from '../../src/state/decorators.js';
import { prepareLoad, runLoad } from '../../src/state/load-plan.js';
import type { LoadResult } from '../../src/state/stateful.js';

@stateful()
class Base {
  @persist() x = 1;
}

@stateful()
class Migrating extends Base {
  loadedByHand = false;
  // A hand-written loader, e.g. one that converts an older layout of the state.
  loadStateDict(state: { x: number }): LoadResult {
    this.loadedByHand = true;
    this.x = state.x * 100;
    return { missingKeys: [], unexpectedKeys: [] };
  }
}

@stateful()
class Holder {
  @persist() child = new Migrating();
  declare loadStateDict: (state: unknown) => LoadResult;
}

describe('hand-written loadStateDict', () => {
  it('runs when called directly', () => {
    const m = new Migrating();
    m.loadStateDict({ x: 2 });
    expect([m.x, m.loadedByHand]).toEqual([200, true]);
  });

  it('runs through the two-phase prepareLoad, not the loader installed on its @stateful parent', () => {
    const m = new Migrating();
    runLoad(prepareLoad(m, { x: 2 }, 'Migrating'));
    expect([m.x, m.loadedByHand]).toEqual([200, true]);
  });

  it('runs when the object is a nested field of another @stateful class', () => {
    const h = new Holder();
    h.loadStateDict({ child: { x: 3 } });
    expect([h.child.x, h.child.loadedByHand]).toEqual([300, true]);
  });

  it('an installed loader is still used two-phase (a bad nested state changes nothing)', () => {
    @stateful()
    class Outer {
      @persist() a = 1;
      @persist() inner = new Base();
      declare loadStateDict: (state: unknown) => LoadResult;
    }
    const o = new Outer();
    expect(() => o.loadStateDict({ a: 5, inner: { x: 'no' } })).toThrow('Outer.inner.x: expected number, got string');
    expect([o.a, o.inner.x]).toEqual([1, 1]);
  });
});
