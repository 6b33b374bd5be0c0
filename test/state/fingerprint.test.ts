/**
 * The check `@stateful(XState)` runs when a class is defined: the generated field fingerprints (key, legacy names,
 * options and the design type where every toolchain agrees) against the `@persist` metadata. Each case is a class
 * whose source changed after its code was generated; the generated state is written here as codegen writes it.
 */
import { describe, expect, it } from 'vitest';
import { persist, StaleGenerationError, StateDeclarationError, stateful } from 'kindling';
import { defineState, type FieldFingerprint } from 'kindling/runtime';
import { thrownBy } from './helpers.js';

function generated(className: string, fields: readonly FieldFingerprint[], base?: Parameters<typeof defineState>[0]['base']) {
  return defineState<object, object>({
    className,
    source: `test/state/${className}.ts`,
    ...(base ? { base } : {}),
    fields,
    legacyKeys: [],
    keys: fields.map((f) => (typeof f === 'string' ? f : (f.key ?? f.property))),
    stateDict: () => ({}),
    loadFields: () => () => {},
  });
}

function staleMessage(error: unknown): string {
  expect(error).toBeInstanceOf(StaleGenerationError);
  return (error as Error).message;
}

describe('@stateful(XState) compares field fingerprints when the class is defined', () => {
  it('accepts a class that matches its generated fingerprints', () => {
    @stateful(generated('Fresh', [{ property: 'best', key: 'best_score', legacyNames: ['best'], optional: true }, { property: 'n', design: 'Number' }]))
    class Fresh {
      @persist({ name: 'best_score', legacyNames: ['best'], optional: true }) best: number | null = null;
      @persist() n: number = 0;
    }
    expect(new Fresh().n).toBe(0);
  });

  it('refuses a renamed state key', () => {
    const error = thrownBy(() => {
      @stateful(generated('Renamed', ['bestScore']))
      class Renamed {
        @persist({ name: 'best' }) bestScore: number | null = null;
      }
      return Renamed;
    });
    expect(staleMessage(error)).toBe(
      'Renamed: generated state code is stale (from test/state/Renamed.ts): bestScore\'s state key is "best" but the ' +
        'generated code has "bestScore". Run `npm run codegen` (in your own project: `npx kindling codegen`).',
    );
  });

  it('refuses changed legacy names, in order', () => {
    const error = thrownBy(() => {
      @stateful(generated('Legacy', [{ property: 'wait', legacyNames: ['wait_count', 'waited'] }]))
      class Legacy {
        @persist({ legacyNames: ['waited', 'wait_count'] }) wait = 0;
      }
      return Legacy;
    });
    expect(staleMessage(error)).toMatch(/wait's legacyNames are \[waited, wait_count\] but the generated code has \[wait_count, waited\]/);
  });

  it('refuses a field that became optional, opaque or class-transformed', () => {
    class Point {
      x = 0;
    }
    const error = thrownBy(() => {
      @stateful(generated('Options', ['note', 'blob', 'at']))
      class Options {
        @persist({ optional: true }) note = '';
        @persist({ opaque: true }) blob: unknown = null;
        @persist({ type: () => Point }) at = new Point();
      }
      return Options;
    });
    const message = staleMessage(error);
    expect(message).toMatch(/note has @persist\(\{ optional: true \}\) but the generated code was written without it/);
    expect(message).toMatch(/blob has @persist\(\{ opaque: true \}\)/);
    expect(message).toMatch(/at has @persist\(\{ type: \(\) => … \}\)/);
  });

  it('refuses a changed primitive type (design:type, emitted here by vitest)', () => {
    const error = thrownBy(() => {
      @stateful(generated('Retyped', [{ property: 'count', design: 'Number' }, { property: 'tags', design: 'Array' }]))
      class Retyped {
        @persist() count: string = '';
        @persist() tags: Set<string> = new Set();
      }
      return Retyped;
    });
    expect(staleMessage(error)).toMatch(
      /count's type is now String but the generated code was written for Number; tags's type is now Set but the generated code was written for Array/,
    );
  });

  it('skips the design type where the toolchain emits none (tsx)', () => {
    class Untyped {
      count = '';
    }
    // Applied by hand, as a runner without emitDecoratorMetadata leaves it: no design:type.
    persist()(Untyped.prototype, 'count');
    expect(() => stateful(generated('Untyped', [{ property: 'count', design: 'Number' }]))(Untyped)).not.toThrow();
  });

  it('refuses generated code composing with a state that is not a base class\'s', () => {
    @stateful(generated('Library', ['a']))
    class Library {
      @persist() a = 0;
    }
    void Library;
    const stranger = generated('Stranger', []);
    const error = thrownBy(() => {
      @stateful(generated('Sub', ['b'], stranger))
      class Sub extends Library {
        @persist() b = 0;
      }
      return Sub;
    });
    expect(staleMessage(error)).toMatch(/^Sub: its generated code \(from test\/state\/Sub\.ts\) composes with the state of Stranger, which is not a base class of it/);
  });

  it('refuses a subclass re-declaring a @persist field its composed library base saves', () => {
    const base = generated('Base', ['a']);
    @stateful(base)
    class Base {
      @persist() a = 0;
    }
    const error = thrownBy(() => {
      @stateful(generated('Redeclares', ['a'], base))
      class Redeclares extends Base {
        @persist() override a = 1;
      }
      return Redeclares;
    });
    expect(error).toBeInstanceOf(StateDeclarationError);
    expect((error as Error).message).toMatch(/^Redeclares: it re-declares the @persist field\(s\) a of its library base class Base/);
  });
});
