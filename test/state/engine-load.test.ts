import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  loadStateDictInto,
  prepareLoad,
  persist,
  StateError,
  stateDictOf,
  stateful,
  type Tensor,
  tensor,
  zeros,
} from 'kindling';
import { describeValue } from 'kindling/runtime';
import { methodsOf, thrownBy } from './helpers.js';

@stateful()
class Inner {
  @persist() list: { x: number }[] = [{ x: 1 }, { x: 2 }];
  @persist() weight: Tensor<'float32'> = tensor('float32', [2], [1, 2]);
  @persist() count: number = 0;
}

@stateful()
class Outer {
  @persist() first: string = 'a';
  @persist() inner = new Inner();
  @persist() moments: Tensor<'float64'>[] = [tensor('float64', [1], [5])];
  @persist() last: number = 1;
}

@stateful()
class EarlyStopping {
  @persist() bestScore: number | null = 0;
  @persist() mode: 'min' | 'max' = 'min';
  @persist({ legacyNames: ['wait_count', 'waitCount'] }) wait: number = 0;
  @persist({ optional: true }) patience: number = 3;
  @persist({ name: 'stopped_epoch' }) stoppedEpoch: number = 0;
}

function stateError(fn: () => unknown): StateError {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(StateError);
  return error as StateError;
}

/** A deep snapshot of an object's fields (tensor memory included), for before/after comparison. */
function snapshot(obj: object): unknown {
  return structuredClone({ ...obj, inner: 'inner' in obj ? { ...(obj.inner as object) } : undefined });
}

/** An Outer whose every field differs from a new one's, so that any assignment would show. */
function changedOuter(): Outer {
  const outer = new Outer();
  outer.first = 'z';
  outer.last = 99;
  outer.inner.count = 7;
  outer.inner.list = [{ x: 10 }, { x: 20 }];
  outer.inner.weight = tensor('float32', [2], [3, 4]);
  outer.moments = [tensor('float64', [1], [8])];
  return outer;
}

describe('a failed load changes nothing', () => {
  it('when the bad field comes after good ones', () => {
    const outer = new Outer();
    const before = snapshot(outer);
    const weight = outer.inner.weight;
    const state = { ...stateDictOf(new Outer()), first: 'changed', last: 'not a number' };
    const error = stateError(() => methodsOf(outer).loadStateDict(state));
    expect(error.message).toBe('Outer.last: expected number, got string');
    expect(snapshot(outer)).toEqual(before);
    expect(outer.inner.weight).toBe(weight);
  });

  it('when the bad part is inside a nested stateful value, with good fields before and after it', () => {
    const outer = new Outer();
    const before = snapshot(outer);
    const good = new Outer();
    good.first = 'b';
    good.last = 7;
    good.inner.weight.data.set([8, 9]);
    good.moments[0]!.data[0] = 6;
    const state = stateDictOf(good) as { inner: { list: unknown[]; count: unknown } };
    state.inner = { ...state.inner, count: 4, list: [{ x: 1 }, { x: 2 }, { x: 'three' }] };
    const error = stateError(() => methodsOf(outer).loadStateDict(state));
    expect(error.message).toBe('Outer.inner.list[2].x: expected number, got string');
    expect(error).toMatchObject({ path: 'Outer.inner.list[2].x', expected: 'number', actual: 'string' });
    expect(snapshot(outer)).toEqual(before);
    expect(Array.from(outer.inner.weight.data)).toEqual([1, 2]);
    expect(Array.from(outer.moments[0]!.data)).toEqual([5]);
  });

  it('for any single corrupted value in an otherwise valid state', () => {
    const wrongKinds = fc.constantFrom<unknown>('text', true, [], {}, 1, tensor('int8', [1], [1]), new Map());
    const places = ['first', 'inner.count', 'inner.list.1.x', 'inner.weight', 'moments.0', 'moments', 'last', 'inner'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...places), wrongKinds, (place, wrong) => {
        const outer = new Outer();
        const before = snapshot(outer);
        const state = stateDictOf(changedOuter()) as Record<string, unknown>;
        const parts = place.split('.');
        let at: Record<string, unknown> = state;
        for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
        const leaf = parts[parts.length - 1]!;
        const original = at[leaf];
        // Skip the value of the kind that is valid at each place.
        fc.pre(describeValue(wrong) !== describeValue(original));
        at[leaf] = wrong;
        const error = stateError(() => methodsOf(outer).loadStateDict(state));
        expect(error.path.startsWith(`Outer.${parts[0]}`)).toBe(true);
        expect(snapshot(outer)).toEqual(before);
      }),
      { numRuns: 80 },
    );
  });
});

describe('error messages', () => {
  it('names the path, the expected and the actual kind', () => {
    const es = new EarlyStopping();
    expect(stateError(() => methodsOf(es).loadStateDict({ bestScore: 'high', mode: 'min', wait: 0, stopped_epoch: 0 })).message).toBe(
      'EarlyStopping.bestScore: expected number, got string',
    );
  });

  it('lists every problem, not only the first', () => {
    const es = new EarlyStopping();
    const error = stateError(() => methodsOf(es).loadStateDict({ bestScore: [], mode: 3, stopped_epoch: 0, extra: true }));
    expect(error.issues).toEqual([
      { path: 'EarlyStopping.bestScore', kind: 'type', expected: 'number', actual: 'array' },
      { path: 'EarlyStopping.mode', kind: 'type', expected: 'string', actual: 'number' },
      { path: 'EarlyStopping.wait', kind: 'missing', expected: 'number', actual: 'nothing' },
      { path: 'EarlyStopping.extra', kind: 'unexpected', expected: '', actual: 'boolean' },
    ]);
    expect(error.message).toBe(
      '4 problems in state:\n' +
        '  EarlyStopping.bestScore: expected number, got array\n' +
        '  EarlyStopping.mode: expected string, got number\n' +
        '  EarlyStopping.wait: missing (expected number)\n' +
        '  EarlyStopping.extra: unexpected key (got boolean)\n' +
        'new field? mark it `optional: true` in its @persist(), or load with `strict: false` (missing keys are then listed, not errors)',
    );
  });

  it('rejects a state that is not an object', () => {
    for (const [state, actual] of [[[], 'array'], [null, 'null'], [5, 'number'], [new Map(), 'Map']] as const) {
      expect(stateError(() => loadStateDictInto(new EarlyStopping(), state)).message).toBe(
        `EarlyStopping: expected object (the state of EarlyStopping), got ${actual}`,
      );
    }
  });

  it('describes each kind the engine checks', () => {
    @stateful()
    class Kinds {
      @persist() t: Tensor = zeros('float32', [2]);
      @persist() big: bigint = 1n;
      @persist() when: Date = new Date(0);
      @persist() map: Map<string, number> = new Map([['a', 1]]);
      @persist() set: Set<number> = new Set();
      @persist() obj: { a: number } = { a: 1 };
      @persist() list: number[] = [];
      @persist() flag: boolean = false;
      @persist() inner = new Inner();
    }
    const error = stateError(() =>
      loadStateDictInto(new Kinds(), {
        t: zeros('float64', [2]),
        big: '12abc',
        when: '2020-01-01',
        map: { a: 1 },
        set: {},
        obj: [1],
        list: 'abc',
        flag: 0,
        inner: null,
      }),
    );
    expect(error.issues.map((i) => `${i.path}: expected ${i.expected}, got ${i.actual}`)).toEqual([
      'Kinds.t: expected Tensor<float32>, got Tensor<float64>[2]',
      'Kinds.big: expected bigint (a decimal integer string), got string "12abc"',
      'Kinds.when: expected Date (epoch milliseconds as a number), got string',
      'Kinds.map: expected Map (an array of [key, value] pairs), got object',
      'Kinds.set: expected Set (an array), got object',
      'Kinds.obj: expected object, got array',
      'Kinds.list: expected array, got string',
      'Kinds.flag: expected boolean, got number',
      'Kinds.inner: expected object (the state of Inner), got null',
    ]);
  });

  it('names map entries and set items by their index in the stored array', () => {
    @stateful()
    class Tables {
      @persist() byName: Map<string, number[]> = new Map([['a', [1]]]);
      @persist() ids: Set<number> = new Set([1]);
    }
    const error = stateError(() => loadStateDictInto(new Tables(), { byName: [['a', [1]], ['b', ['x']], [3, []]], ids: [2, 'z'] }));
    expect(error.issues.map((i) => i.path)).toEqual(['Tables.byName[1][1][0]', 'Tables.byName[2][0]', 'Tables.ids[1]']);
  });

  it('quotes keys that are not identifiers', () => {
    @stateful()
    class Odd {
      @persist({ name: 'my key' }) x: number = 0;
      @persist() table: Record<string, number> = { 'a-b': 1 };
    }
    const error = stateError(() => loadStateDictInto(new Odd(), { 'my key': 'x', table: { 'a-b': 'y' } }));
    expect(error.issues.map((i) => i.path)).toEqual(['Odd["my key"]', 'Odd.table["a-b"]']);
  });
});

describe('strict and non-strict loads', () => {
  const valid = () => stateDictOf(new Outer()) as Record<string, unknown> & { inner: Record<string, unknown> };

  it('strict (the default) rejects missing and unexpected keys at every depth', () => {
    const state = valid();
    delete state.inner.count;
    state.inner.surprise = 1;
    delete state.last;
    state.extra = {};
    const error = stateError(() => methodsOf(new Outer()).loadStateDict(state));
    expect(error.issues.map((i) => [i.kind, i.path])).toEqual([
      ['missing', 'Outer.inner.count'],
      ['unexpected', 'Outer.inner.surprise'],
      ['missing', 'Outer.last'],
      ['unexpected', 'Outer.extra'],
    ]);
  });

  it('non-strict loads what is there and reports the rest as full paths', () => {
    const outer = new Outer();
    outer.last = 42;
    outer.inner.count = 9;
    const state = valid();
    delete state.inner.count;
    state.inner.surprise = 1;
    delete state.last;
    state.extra = {};
    state.first = 'loaded';
    const result = methodsOf(outer).loadStateDict(state, { strict: false });
    expect(result).toEqual({ missingKeys: ['Outer.inner.count', 'Outer.last'], unexpectedKeys: ['Outer.inner.surprise', 'Outer.extra'] });
    expect(outer.first).toBe('loaded');
    expect(outer.last).toBe(42);
    expect(outer.inner.count).toBe(9);
  });

  it('non-strict still rejects values of the wrong kind', () => {
    const state = { ...valid(), last: 'x' };
    expect(stateError(() => methodsOf(new Outer()).loadStateDict(state, { strict: false })).path).toBe('Outer.last');
  });

  it('returns empty results for a complete state', () => {
    expect(methodsOf(new Outer()).loadStateDict(valid())).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });
});

describe('legacyNames, name and optional', () => {
  it('accepts a legacy key and saves under the current one', () => {
    const es = new EarlyStopping();
    methodsOf(es).loadStateDict({ bestScore: 1, mode: 'max', wait_count: 4, stopped_epoch: 2 });
    expect(es.wait).toBe(4);
    expect(es.stoppedEpoch).toBe(2);
    expect(stateDictOf(es)).toEqual({ bestScore: 1, mode: 'max', wait: 4, patience: 3, stopped_epoch: 2 });
  });

  it('lets the current key win over legacy keys, which are then not unexpected', () => {
    const es = new EarlyStopping();
    const result = methodsOf(es).loadStateDict({ bestScore: 1, mode: 'max', wait: 1, wait_count: 2, waitCount: 3, stopped_epoch: 0 });
    expect(es.wait).toBe(1);
    expect(result.unexpectedKeys).toEqual([]);
  });

  it('takes the first legacy key present, and names it in errors', () => {
    const es = new EarlyStopping();
    methodsOf(es).loadStateDict({ bestScore: 1, mode: 'max', waitCount: 3, stopped_epoch: 0 });
    expect(es.wait).toBe(3);
    const error = stateError(() => methodsOf(es).loadStateDict({ bestScore: 1, mode: 'max', wait_count: 'x', stopped_epoch: 0 }));
    expect(error.path).toBe('EarlyStopping.wait_count');
  });

  it('does not accept the property name when the field is saved under another name', () => {
    const error = stateError(() => loadStateDictInto(new EarlyStopping(), { bestScore: 1, mode: 'max', wait: 0, stoppedEpoch: 2 }));
    expect(error.issues.map((i) => [i.kind, i.path])).toEqual([
      ['missing', 'EarlyStopping.stopped_epoch'],
      ['unexpected', 'EarlyStopping.stoppedEpoch'],
    ]);
  });

  it('lets an optional field be absent, keeping its value, even when strict', () => {
    const es = new EarlyStopping();
    es.patience = 10;
    expect(methodsOf(es).loadStateDict({ bestScore: 1, mode: 'max', wait: 0, stopped_epoch: 0 })).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
    });
    expect(es.patience).toBe(10);
  });

  it('treats a field holding undefined as optional: its state had no key', () => {
    @stateful()
    class Later {
      @persist() started?: Date;
      @persist() count?: number;
    }
    const empty = new Later();
    expect(stateDictOf(empty)).toEqual({});
    expect(loadStateDictInto(new Later(), {})).toEqual({ missingKeys: [], unexpectedKeys: [] });
    // Where there is no current value, design:type (when the compiler emits one) gives the kind.
    const later = new Later();
    loadStateDictInto(later, { started: 1000, count: 2 });
    expect(later.started).toEqual(new Date(1000));
    expect(stateError(() => loadStateDictInto(new Later(), { count: 'two' })).message).toBe('Later.count: expected number, got string');
  });
});

describe('what the reflective engine accepts where it cannot see static types', () => {
  it('accepts null in place of any value but a stateful object', () => {
    const es = new EarlyStopping();
    methodsOf(es).loadStateDict({ bestScore: null, mode: 'min', wait: 0, stopped_epoch: 0 });
    expect(es.bestScore).toBeNull();
  });

  it('accepts any state data where the field holds null, copied', () => {
    const t = tensor('int8', [1], [3]);
    @stateful()
    class Loose {
      @persist() anything: unknown = null;
    }
    const loose = new Loose();
    const state = { anything: { nested: [1, 'two', null, t] } };
    loadStateDictInto(loose, state);
    expect(loose.anything).toEqual(state.anything);
    const loaded = loose.anything as { nested: unknown[] };
    expect(loaded.nested).not.toBe(state.anything.nested);
    expect(loaded.nested[3]).not.toBe(t);
    expect(stateError(() => loadStateDictInto(new Loose(), { anything: { f: () => 1 } })).message).toBe(
      'Loose.anything.f: expected a state value (null, boolean, number, string, array, plain object or Tensor), got function',
    );
  });

  it('checks new array elements against the first element, and accepts anything in an empty array', () => {
    const outer = new Outer();
    const error = stateError(() =>
      methodsOf(outer.inner).loadStateDict({ list: [{ x: 1 }, { x: 2 }, { x: 3 }, { y: 'new key' }, 'bad'], weight: zeros('float32', [2]), count: 0 }),
    );
    expect(error.issues.map((i) => `${i.path}: expected ${i.expected}, got ${i.actual}`)).toEqual(['Inner.list[4]: expected object, got string']);
    @stateful()
    class Empty {
      @persist() list: unknown[] = [];
    }
    const empty = new Empty();
    loadStateDictInto(empty, { list: [1, 'a', [null]] });
    expect(empty.list).toEqual([1, 'a', [null]]);
  });

  it('loads nested stateful values in arrays in place and refuses to create new ones', () => {
    @stateful()
    class Net {
      @persist() layers = [new Inner(), new Inner()];
    }
    const net = new Net();
    const [a, b] = net.layers;
    const state = stateDictOf(new Net()) as { layers: Record<string, unknown>[] };
    state.layers[1]!.count = 5;
    loadStateDictInto(net, state);
    expect(net.layers[0]).toBe(a);
    expect(net.layers[1]).toBe(b);
    expect(b!.count).toBe(5);
    state.layers.push(state.layers[0]!);
    expect(stateError(() => loadStateDictInto(net, state)).message).toBe(
      'Net.layers[2]: expected nothing here (a new Inner cannot be created by a load), got object',
    );
  });

  it('loads a hand-written Stateful through its own loadStateDict, at commit time', () => {
    const calls: unknown[] = [];
    const handWritten = {
      stateDict: () => ({ n: 1 }),
      loadStateDict: (s: unknown) => void calls.push(s),
    };
    @stateful()
    class Holder {
      @persist() part = handWritten;
      @persist() x: number = 0;
    }
    expect(stateDictOf(new Holder())).toEqual({ part: { n: 1 }, x: 0 });
    expect(() => loadStateDictInto(new Holder(), { part: { n: 2 }, x: 'bad' })).toThrow(StateError);
    expect(calls).toEqual([]);
    loadStateDictInto(new Holder(), { part: { n: 2 }, x: 1 });
    expect(calls).toEqual([{ n: 2 }]);
  });

  it('refuses a field holding a class instance it cannot load', () => {
    class Opaque {
      y = 1;
    }
    @stateful()
    class Holder {
      @persist() thing = new Opaque();
    }
    const error = stateError(() => loadStateDictInto(new Holder(), { thing: { y: 2 } }));
    expect(error.path).toBe('Holder.thing');
    expect(error.actual).toBe('object');
    expect(error.expected).toMatch(/Opaque instance/);
  });
});

describe('stateDict of values that cannot be stored', () => {
  it('throws a StateError naming every offending path, with what to do', () => {
    class Opaque {}
    @stateful()
    class Bad {
      @persist() cb = () => 1;
      @persist() thing = new Opaque();
      @persist() list: unknown[] = [1, undefined, Symbol('s')];
      @persist() ok: number = 1;
    }
    const error = stateError(() => stateDictOf(new Bad()));
    expect(error.issues.map((i) => `${i.path}: ${i.actual}`)).toEqual([
      'Bad.cb: function',
      'Bad.thing: Opaque instance',
      'Bad.list[1]: undefined',
      'Bad.list[2]: symbol',
    ]);
    expect(error.message).toMatch(/@persist\(\{ type: \(\) => TheClass \}\)/);
  });

  it('refuses cycles instead of recursing forever', () => {
    @stateful()
    class Cyclic {
      @persist() tree: Record<string, unknown> = {};
    }
    const c = new Cyclic();
    c.tree.self = c.tree;
    expect(stateError(() => stateDictOf(c)).path).toBe('Cyclic.tree.self');
  });

  it('omits undefined object properties, as absent keys', () => {
    @stateful()
    class Sparse {
      @persist() obj: { a?: number; b: number } = { a: undefined, b: 1 };
    }
    expect(stateDictOf(new Sparse())).toEqual({ obj: { b: 1 } });
    expect(Object.keys((stateDictOf(new Sparse()) as { obj: object }).obj)).toEqual(['b']);
  });
});

describe('class-transformer fields (@persist({ type }))', () => {
  class Money {
    amount = 0;
    currency = 'EUR';
    get label(): string {
      return `${this.amount} ${this.currency}`;
    }
  }

  @stateful()
  class Wallet {
    @persist({ type: () => Money }) balance: Money | null = new Money();
    @persist({ type: () => Money }) history: Money[] = [];
    @persist({ type: () => Money }) later?: Money;
  }

  it('builds instances of the class on load, also where the field was empty', () => {
    const w = new Wallet();
    loadStateDictInto(w, { balance: { amount: 5, currency: 'USD' }, history: [{ amount: 1, currency: 'EUR' }], later: { amount: 2 } });
    expect(w.balance).toBeInstanceOf(Money);
    expect(w.balance?.label).toBe('5 USD');
    expect(w.history[0]).toBeInstanceOf(Money);
    expect(w.later).toBeInstanceOf(Money);
    expect(w.later?.label).toBe('2 EUR');
  });

  it('saves and loads null', () => {
    const w = new Wallet();
    w.balance = null;
    expect(stateDictOf(w)).toEqual({ balance: null, history: [] });
    const target = new Wallet();
    loadStateDictInto(target, stateDictOf(w));
    expect(target.balance).toBeNull();
  });

  it('rejects data that is not an object or array, or not plain state data', () => {
    const w = new Wallet();
    const before = w.balance;
    const error = thrownBy(() => loadStateDictInto(w, { balance: 5, history: [{ amount: () => 1 }] })) as StateError;
    expect(error.issues.map((i) => `${i.path}: expected ${i.expected}, got ${i.actual}`)).toEqual([
      'Wallet.balance: expected object (a Money) or an array of them, got number',
      'Wallet.history[0].amount: expected a state value (null, boolean, number, string, array, plain object or Tensor), got function',
    ]);
    expect(w.balance).toBe(before);
  });

  it('never shares the loaded data with the instance', () => {
    const state = { balance: { amount: 1, currency: 'EUR' }, history: [] };
    const w = new Wallet();
    loadStateDictInto(w, state);
    state.balance.amount = 99;
    expect(w.balance?.amount).toBe(1);
  });
});

describe('the two-phase loader', () => {
  it('reports issues from prepare without changing anything, and applies only on commit', () => {
    const outer = new Outer();
    const bad = prepareLoad(outer, { ...stateDictOf(changedOuter()), last: 'x' }, 'outer');
    expect(bad.issues.map((i) => i.path)).toEqual(['outer.last']);
    const good = prepareLoad(outer, stateDictOf(changedOuter()), 'outer');
    expect(good.issues).toEqual([]);
    expect(outer.first).toBe('a');
    good.commit();
    expect(outer.first).toBe('z');
    expect(outer.inner.count).toBe(7);
  });

  it('works for a class with @persist fields but no @stateful, through loadStateDictInto', () => {
    class Undecorated {
      @persist() x: number = 0;
    }
    const u = new Undecorated();
    loadStateDictInto(u, { x: 2 });
    expect(u.x).toBe(2);
    expect(stateDictOf(u)).toEqual({ x: 2 });
  });
});

describe('arbitrary input', () => {
  it('either loads or throws a StateError leaving the object as it was', () => {
    const mixed = () => {
      @stateful()
      class Mixed {
        @persist() outer = new Outer();
        @persist() when: Date = new Date(1);
        @persist() big: bigint = 1n;
        @persist() map: Map<string, number> = new Map([['a', 1]]);
        @persist() any: unknown = null;
      }
      return new Mixed();
    };
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true, withBigInt: true }), fc.boolean(), (input, strict) => {
        const target = mixed();
        const before = structuredClone({ ...target, outer: snapshot(target.outer) });
        try {
          methodsOf(target).loadStateDict(input, { strict });
        } catch (error) {
          expect(error).toBeInstanceOf(StateError);
          expect({ ...target, outer: snapshot(target.outer) }).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  });
});
