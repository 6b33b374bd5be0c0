/**
 * A state whose tensors are the target's own tensors in other places (fields swapped, a list reversed) must load as
 * if it had been copied first: in-place fills are applied together at the end of the commit, with aliased sources
 * copied aside.
 */
import { describe, expect, it } from 'vitest';
import { persist, stateful } from '../../src/state/decorators.js';
import type { GeneratedState } from '../../src/state/codec.js';
import * as generatedRuntime from '../../src/state/generated-runtime/index.js';
import type { Stateful } from '../../src/state/stateful.js';
import { tensor, type Tensor } from '../../src/state/tensor.js';

@stateful()
class Pair {
  declare stateDict: () => Record<string, unknown>;
  declare loadStateDict: (state: unknown) => void;
  @persist() a: Tensor = tensor('float32', [2], [1, 2]);
  @persist() b: Tensor = tensor('float32', [2], [3, 4]);
  @persist() list: Tensor[] = [tensor('int32', [1], [10]), tensor('int32', [1], [20]), tensor('int32', [1], [30])];
}

const values = (t: Tensor) => Array.from(t.data as ArrayLike<number>);

describe('loading a state that aliases the target tensors', () => {
  it('reflective engine: swapped fields and a reversed list load correctly, in place', () => {
    const p = new Pair();
    const [a, b] = [p.a, p.b];
    p.loadStateDict({ a: p.b, b: p.a, list: [...p.list].reverse() });
    expect(values(p.a)).toEqual([3, 4]);
    expect(values(p.b)).toEqual([1, 2]);
    expect(p.list.map(values)).toEqual([[30], [20], [10]]);
    expect(p.a).toBe(a); // still filled in place: references held elsewhere stay valid
    expect(p.b).toBe(b);
  });

  it('reflective engine: loading its own state back changes nothing', () => {
    const p = new Pair();
    p.loadStateDict(p.stateDict());
    expect(values(p.a)).toEqual([1, 2]);
    expect(p.list.map(values)).toEqual([[10], [20], [30]]);
  });

  it('generated code: swapped tensor fields load correctly, in place', () => {
    // The shape of what the generator emits for two direct tensor fields (see the tensors golden fixture).
    const placer = generatedRuntime.typedPlacer<Tensor<'float32'>>(generatedRuntime.placeTensor(['float32']));
    const keys: ReadonlySet<string> = new Set(['a', 'b']);
    type Fields = { a: Tensor<'float32'>; b: Tensor<'float32'> };
    const GeneratedPair: GeneratedState<GenPair, Fields> = {
      className: 'GenPair',
      source: 'test/state/tensor-aliasing.test.ts',
      fields: ['a', 'b'],
      legacyKeys: [],
      stateDict: (self) => ({ a: self.a, b: self.b }),
      prepareLoad(self, state, path, options) {
        const load = new generatedRuntime.StateLoad(self, state, path, options, keys);
        const a$ = load.place('a', [], 'required', placer, self.a);
        const b$ = load.place('b', [], 'required', placer, self.b);
        return load.plan(() => {
          if (a$ !== generatedRuntime.ABSENT) self.a = a$();
          if (b$ !== generatedRuntime.ABSENT) self.b = b$();
        });
      },
    };
    @stateful(GeneratedPair)
    class GenPair {
      @persist() a = tensor('float32', [2], [1, 2]);
      @persist() b = tensor('float32', [2], [3, 4]);
    }
    const g = new GenPair();
    const [a, b] = [g.a, g.b];
    (g as unknown as Stateful<Fields>).loadStateDict({ a: g.b, b: g.a });
    expect(values(g.a)).toEqual([3, 4]);
    expect(values(g.b)).toEqual([1, 2]);
    expect(g.a).toBe(a);
    expect(g.b).toBe(b);
  });
});
