/**
 * A class that writes its own loadStateDict keeps it, also when it is loaded as a nested value (through prepareLoad)
 * and when it inherits from a @stateful class whose loader kindling installed.
 */
import { describe, expect, it } from 'vitest';
import { persist, stateful } from '../../src/state/decorators.js';
import { prepareLoad, runLoad } from '../../src/state/load-plan.js';
import type { LoadResult } from '../../src/state/stateful.js';
import { tensor } from '../../src/state/tensor.js';

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

  it('a nested hand-written loader that throws leaves the whole object unchanged (it runs before any assignment)', () => {
    class Counter {
      v = 0;
      stateDict() {
        return { v: this.v };
      }
      loadStateDict(state: { v: number }) {
        if (state.v < 0) throw new RangeError('Counter cannot go negative');
        this.v = state.v;
      }
    }
    @stateful()
    class Run {
      @persist() t = tensor('float32', [2], [1, 2]);
      @persist() inner = new Base(); // a nested kindling component, committed before the hand-written one below
      @persist() n = 5;
      @persist() counter = new Counter();
      declare loadStateDict: (state: unknown) => LoadResult;
    }
    const r = new Run();
    const bad = { t: tensor('float32', [2], [9, 9]), inner: { x: 7 }, n: 6, counter: { v: -1 } };
    expect(() => r.loadStateDict(bad)).toThrow(RangeError);
    expect([Array.from(r.t.data), r.inner.x, r.n, r.counter.v]).toEqual([[1, 2], 1, 5, 0]);
    r.loadStateDict({ ...bad, counter: { v: 3 } });
    expect([Array.from(r.t.data), r.inner.x, r.n, r.counter.v]).toEqual([[9, 9], 7, 6, 3]);
  });
});
