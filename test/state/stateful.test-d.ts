import { describe, expectTypeOf, it } from 'vitest';
import type { LoadOptions, LoadResult, Stateful, StateOf, Tensor } from 'kindling';
import { isStateful } from 'kindling';

interface EarlyStoppingState {
  readonly bestScore: number | null;
  readonly mode: 'min' | 'max';
}

class EarlyStopping implements Stateful<EarlyStoppingState> {
  bestScore: number | null = null;
  mode: 'min' | 'max' = 'min';
  stateDict(): EarlyStoppingState {
    return { bestScore: this.bestScore, mode: this.mode };
  }
  loadStateDict(state: EarlyStoppingState): LoadResult {
    this.bestScore = state.bestScore;
    this.mode = state.mode;
    return { missingKeys: [], unexpectedKeys: [] };
  }
}

/** The contract's loadStateDict returns what the load did not use or find, and takes the load options. */
describe('Stateful.loadStateDict', () => {
  it('returns a LoadResult and accepts LoadOptions', () => {
    expectTypeOf<ReturnType<Stateful['loadStateDict']>>().toEqualTypeOf<LoadResult>();
    expectTypeOf<Parameters<Stateful['loadStateDict']>[1]>().toEqualTypeOf<LoadOptions | undefined>();
  });
});

describe('StateOf', () => {
  it('is the return type of stateDict()', () => {
    expectTypeOf<StateOf<EarlyStopping>>().toEqualTypeOf<EarlyStoppingState>();
    expectTypeOf<StateOf<Stateful<{ w: Tensor<'float32'> }>>>().toEqualTypeOf<{ w: Tensor<'float32'> }>();
  });

  it('is never for a value without stateDict()', () => {
    expectTypeOf<StateOf<{ x: number }>>().toBeNever();
    expectTypeOf<StateOf<number>>().toBeNever();
  });

  it('keeps the state type precise', () => {
    expectTypeOf<StateOf<EarlyStopping>['mode']>().toEqualTypeOf<'min' | 'max'>();
    // @ts-expect-error a string is not the state's mode
    const wrong: StateOf<EarlyStopping>['mode'] = 'sideways';
    void wrong;
  });
});

describe('Stateful and isStateful', () => {
  it('loadStateDict takes exactly the state type', () => {
    expectTypeOf<EarlyStopping['loadStateDict']>().parameter(0).toEqualTypeOf<EarlyStoppingState>();
    // @ts-expect-error bestScore must be a number or null
    new EarlyStopping().loadStateDict({ bestScore: 'high', mode: 'min' });
  });

  it('narrows unknown to Stateful', () => {
    const value: unknown = new EarlyStopping();
    if (isStateful(value)) expectTypeOf(value).toEqualTypeOf<Stateful>();
  });
});
