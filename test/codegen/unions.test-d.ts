/**
 * Type tests for components of several classes in one field, and for subclasses of library classes: the State
 * types are the union of the members' states, and a library subclass's state extends the library's.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { EmaState } from './fixtures/library-base/lib/index.js';
import type { ScaledEmaState, TunedEmaState } from './fixtures/library-base/expected/tuned-ema.state.generated.js';
import type { ScaledEma } from './fixtures/library-base/input/tuned-ema.js';
import type {
  AverageState,
  EarlyStopState,
  PatientStopState,
} from './fixtures/stateful-unions/expected/callbacks.state.generated.js';
import type { CallbackList } from './fixtures/stateful-unions/input/callbacks.js';

declare const list: CallbackList;
declare const scaled: ScaledEma;

describe('unions of @stateful classes', () => {
  it('type each element as the union of its classes\' states', () => {
    const state = list.stateDict();
    expectTypeOf(state.list).toEqualTypeOf<(AverageState | EarlyStopState)[]>();
    expectTypeOf(state.byId).toEqualTypeOf<[number, AverageState | EarlyStopState][]>();
    expectTypeOf(state.main).toEqualTypeOf<AverageState | EarlyStopState>();
    expectTypeOf(state.spare).toEqualTypeOf<AverageState | EarlyStopState | null>();
  });

  it('accept a subclass state where the base class is held, and refuse a state of no member', () => {
    const state = list.stateDict();
    const sub: PatientStopState = { wait: 1, patience: 2 };
    list.loadStateDict({ ...state, stops: [sub] });
    // @ts-expect-error TS2322: a string is the state of no member of the union
    list.loadStateDict({ ...state, main: 'average' });
  });
});

describe('subclasses of library classes', () => {
  it('extend the library state through every level', () => {
    expectTypeOf<TunedEmaState>().toExtend<EmaState>();
    expectTypeOf(scaled.stateDict()).toEqualTypeOf<ScaledEmaState>();
    expectTypeOf(scaled.stateDict().steps).toEqualTypeOf<number>();
    expectTypeOf(scaled.stateDict().scale).toEqualTypeOf<number>();
  });
});
