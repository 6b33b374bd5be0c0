import { describe, expect, it } from 'vitest';
import {
  type GeneratedState,
  loadStateDictInto,
  type LoadPlan,
  persist,
  StaleGenerationError,
  StateDeclarationError,
  StateError,
  stateDictOf,
  stateful,
} from 'kindling';
import { describeValue, generatedStateOf, isPlainObject, joinKey, plan } from 'kindling/runtime';
import { methodsOf, thrownBy } from './helpers.js';

interface CounterState {
  readonly count: number;
}

/** Stands in for what `kindling codegen` writes (the generator itself is tested elsewhere). */
function generatedFor(className: string, fields: readonly string[], calls: string[] = []): GeneratedState<{ count: number }, CounterState> {
  return {
    className,
    source: `test/state/${className}.ts`,
    fields,
    legacyKeys: [],
    stateDict(self) {
      calls.push('stateDict');
      return { count: self.count };
    },
    prepareLoad(self, state, path): LoadPlan {
      calls.push('prepareLoad');
      const count = isPlainObject(state) ? state.count : undefined;
      if (typeof count !== 'number') {
        return plan([{ path: joinKey(path, 'count'), kind: 'type', expected: 'number', actual: describeValue(count) }]);
      }
      return plan([], () => {
        self.count = count;
      });
    },
  };
}

/** Generated code for the stale-generation checks, which refuse it before any of its methods could run. */
function fieldListFor(className: string, fields: readonly string[]): GeneratedState<object, object> {
  const unused = (): never => {
    throw new Error('stale generated code must never run');
  };
  return { className, source: `test/state/${className}.ts`, fields, legacyKeys: [], stateDict: unused, prepareLoad: unused };
}

const counterCalls: string[] = [];

@stateful(generatedFor('Counter', ['count'], counterCalls))
class Counter {
  @persist() count: number = 0;
}

describe('@stateful(generated)', () => {
  it('uses the generated stateDict and two-phase loader', () => {
    counterCalls.length = 0;
    const c = new Counter();
    c.count = 3;
    expect(methodsOf(c).stateDict()).toEqual({ count: 3 });
    const result = methodsOf(c).loadStateDict({ count: 5 });
    expect(c.count).toBe(5);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(counterCalls).toEqual(['stateDict', 'prepareLoad']);
    expect(generatedStateOf(Counter)?.className).toBe('Counter');
  });

  it('throws StateError from the generated validation, changing nothing', () => {
    const c = new Counter();
    const error = thrownBy(() => methodsOf(c).loadStateDict({ count: 'x' }));
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toBe('Counter.count: expected number, got string');
    expect(c.count).toBe(0);
  });

  it('refuses stale generated code when the class is defined, naming the class', () => {
    const error = thrownBy(() => {
      @stateful(fieldListFor('Renamed', ['count', 'removedField']))
      class Renamed {
        @persist() count: number = 0;
      }
      return Renamed;
    });
    expect(error).toBeInstanceOf(StaleGenerationError);
    expect((error as StaleGenerationError).className).toBe('Renamed');
    expect((error as Error).message).toBe(
      'Renamed: generated state code is stale (from test/state/Renamed.ts): @persist fields are [count] but the generated ' +
        'code has [count, removedField]. Run `npm run codegen` (in your own project: `npx kindling codegen`).',
    );
  });

  it('refuses generated code whose fields are in another order', () => {
    const error = thrownBy(() => {
      @stateful(fieldListFor('Swapped', ['b', 'a']))
      class Swapped {
        @persist() a: number = 0;
        @persist() b: number = 0;
      }
      return Swapped;
    });
    expect(error).toBeInstanceOf(StaleGenerationError);
  });

  it('refuses the generated code of another class', () => {
    const error = thrownBy(() => {
      @stateful(fieldListFor('Counter', ['count']))
      class Impostor {
        @persist() count: number = 0;
      }
      return Impostor;
    });
    expect(error).toBeInstanceOf(StaleGenerationError);
    expect((error as Error).message).toMatch(/^Impostor: @stateful\(\) was given the generated state of Counter/);
  });

  it('refuses a subclass that adds @persist fields without @stateful, on stateDict and on load, saying what to add', () => {
    class Extended extends Counter {
      @persist() extra: string = '';
    }
    const e = new Extended();
    const onSave = thrownBy(() => methodsOf(e).stateDict());
    expect(onSave).toBeInstanceOf(StateDeclarationError);
    expect((onSave as StateDeclarationError).className).toBe('Extended');
    // The import names the file the class is declared in (found from where its first @persist field was decorated).
    expect((onSave as Error).message).toBe(
      'Extended: it declares @persist fields (extra) but is not decorated with @stateful, so the generated code it ' +
        'inherits from Counter would not save them: add @stateful(ExtendedState) to the class, with ' +
        "import { ExtendedState } from './generated.test.state.generated.js', and run `npx kindling codegen`",
    );
    expect(thrownBy(() => methodsOf(e).loadStateDict({ count: 1, extra: 'x' }))).toBeInstanceOf(StateDeclarationError);
  });

  it('accepts a subclass that adds no fields, and a @stateful() subclass that adds some', () => {
    class Same extends Counter {}
    const same = new Same();
    same.count = 2;
    expect(methodsOf(same).stateDict()).toEqual({ count: 2 });

    @stateful()
    class Reflective extends Counter {
      @persist() extra: string = 'e';
    }
    const r = new Reflective();
    expect(methodsOf(r).stateDict()).toEqual({ count: 0, extra: 'e' });
    methodsOf(r).loadStateDict({ count: 4, extra: 'f' });
    expect([r.count, r.extra]).toEqual([4, 'f']);
  });

  it('validates a generated nested value before a reflective parent assigns anything', () => {
    @stateful()
    class Parent {
      @persist() before: number = 1;
      @persist() counter = new Counter();
      @persist() after: number = 2;
    }
    const p = new Parent();
    expect(stateDictOf(p)).toEqual({ before: 1, counter: { count: 0 }, after: 2 });
    const error = thrownBy(() => loadStateDictInto(p, { before: 10, counter: { count: null }, after: 20 }));
    expect((error as StateError).message).toBe('Parent.counter.count: expected number, got null');
    expect([p.before, p.counter.count, p.after]).toEqual([1, 0, 2]);
    loadStateDictInto(p, { before: 10, counter: { count: 7 }, after: 20 });
    expect([p.before, p.counter.count, p.after]).toEqual([10, 7, 20]);
  });
});
