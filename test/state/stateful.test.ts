import { describe, expect, it } from 'vitest';
import { isStateful, persist, stateful, tensor } from 'kindling';

describe('isStateful', () => {
  @stateful()
  class Decorated {
    @persist() x = 1;
  }

  class HandWritten {
    stateDict() {
      return {};
    }
    loadStateDict(_state: object) {}
  }

  it('accepts anything with both methods: decorated classes, hand-written classes, object literals', () => {
    expect(isStateful(new Decorated())).toBe(true);
    expect(isStateful(new HandWritten())).toBe(true);
    expect(isStateful({ stateDict: () => ({}), loadStateDict: () => {} })).toBe(true);
    const fn = Object.assign(() => {}, { stateDict: () => ({}), loadStateDict: () => {} });
    expect(isStateful(fn)).toBe(true);
  });

  it('rejects values missing a method, with a non-function member, and non-objects', () => {
    expect(isStateful({ stateDict: () => ({}) })).toBe(false);
    expect(isStateful({ loadStateDict: () => {} })).toBe(false);
    expect(isStateful({ stateDict: {}, loadStateDict: () => {} })).toBe(false);
    expect(isStateful(class {})).toBe(false);
    expect(isStateful(Decorated)).toBe(false); // the class, not an instance: the methods are on its prototype
    for (const v of [null, undefined, 0, 'stateDict', true, 1n, Symbol('s'), [], {}, new Map(), tensor('float32', [1], [1])]) {
      expect(isStateful(v)).toBe(false);
    }
  });
});
