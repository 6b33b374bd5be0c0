/**
 * Type tests for generated code (run by `vitest --typecheck`): the module augmentation gives stateDict() the precise
 * State type, and loadStateDict() rejects wrong shapes at compile time.
 */
import type { LoadResult, StateOf, Tensor } from 'kindling';
import { describe, expectTypeOf, it } from 'vitest';
import type { PlacedState } from './fixtures/class-instances/expected/placed.state.generated.js';
import { Placed } from './fixtures/class-instances/input/placed.js';
import type { TrackerState } from './fixtures/cross-file-types/expected/tracker.state.generated.js';
import { Tracker } from './fixtures/cross-file-types/input/tracker.js';
import type { EnumsState } from './fixtures/enums/expected/enums.state.generated.js';
import { Enums, Precision } from './fixtures/enums/input/enums.js';
import { Phase } from './fixtures/enums/input/phases.js';
import type {
  BaseCallbackState,
} from './fixtures/inheritance/expected/base.state.generated.js';
import type {
  MonitorCallbackState,
  ThresholdCallbackState,
} from './fixtures/inheritance/expected/derived.state.generated.js';
import { ThresholdCallback } from './fixtures/inheritance/input/derived.js';
import type { LiteralUnionsState } from './fixtures/literal-unions/expected/literal-unions.state.generated.js';
import { LiteralUnions } from './fixtures/literal-unions/input/literal-unions.js';
import type { CollectionsState } from './fixtures/map-set-date-bigint/expected/collections.state.generated.js';
import { Collections } from './fixtures/map-set-date-bigint/input/collections.js';
import type { HeadState, LoaderState } from './fixtures/nested-collections/expected/head.state.generated.js';
import type { TrainingRunState } from './fixtures/nested-collections/expected/run.state.generated.js';
import { TrainingRun } from './fixtures/nested-collections/input/run.js';
import type { InnerCounterState } from './fixtures/nested-stateful/expected/inner.state.generated.js';
import type { MiddleState, OuterState } from './fixtures/nested-stateful/expected/outer.state.generated.js';
import { Outer } from './fixtures/nested-stateful/input/outer.js';
import type { OptionalNullableState } from './fixtures/optional-nullable/expected/optional-nullable.state.generated.js';
import { OptionalNullable } from './fixtures/optional-nullable/input/optional-nullable.js';
import type { EarlyStoppingState } from './fixtures/persist-options/expected/early-stopping.state.generated.js';
import { EarlyStopping } from './fixtures/persist-options/input/early-stopping.js';
import type { PrimitivesState } from './fixtures/primitives/expected/primitives.state.generated.js';
import { Primitives } from './fixtures/primitives/input/primitives.js';
import type { PatienceState } from './fixtures/private-protected/expected/private-protected.state.generated.js';
import { Patience } from './fixtures/private-protected/input/private-protected.js';
import type { TensorsState } from './fixtures/tensors/expected/tensors.state.generated.js';
import { Tensors } from './fixtures/tensors/input/tensors.js';
import type { TuplesState } from './fixtures/tuples/expected/tuples.state.generated.js';
import { Tuples } from './fixtures/tuples/input/tuples.js';

describe('stateDict() has the generated State type', () => {
  it('for every kind of class', () => {
    expectTypeOf(new Primitives().stateDict()).toEqualTypeOf<PrimitivesState>();
    expectTypeOf(new LiteralUnions().stateDict()).toEqualTypeOf<LiteralUnionsState>();
    expectTypeOf(new Enums().stateDict()).toEqualTypeOf<EnumsState>();
    expectTypeOf(new Tuples().stateDict()).toEqualTypeOf<TuplesState>();
    expectTypeOf(new OptionalNullable().stateDict()).toEqualTypeOf<OptionalNullableState>();
    expectTypeOf(new Tracker().stateDict()).toEqualTypeOf<TrackerState>();
    expectTypeOf(new Tensors().stateDict()).toEqualTypeOf<TensorsState>();
    expectTypeOf(new Outer().stateDict()).toEqualTypeOf<OuterState>();
    expectTypeOf(new Collections().stateDict()).toEqualTypeOf<CollectionsState>();
    expectTypeOf(new ThresholdCallback().stateDict()).toEqualTypeOf<ThresholdCallbackState>();
    expectTypeOf(new Patience().stateDict()).toEqualTypeOf<PatienceState>();
    expectTypeOf(new EarlyStopping().stateDict()).toEqualTypeOf<EarlyStoppingState>();
    expectTypeOf(new Placed().stateDict()).toEqualTypeOf<PlacedState>();
  });

  it('and StateOf<Class> is that type', () => {
    expectTypeOf<StateOf<Primitives>>().toEqualTypeOf<PrimitivesState>();
    expectTypeOf<StateOf<Patience>>().toEqualTypeOf<PatienceState>();
    expectTypeOf<StateOf<Outer>>().toEqualTypeOf<OuterState>();
  });

  it('loadStateDict() takes the State type and returns a LoadResult', () => {
    expectTypeOf<Primitives['loadStateDict']>().parameter(0).toEqualTypeOf<PrimitivesState>();
    expectTypeOf(new Primitives().loadStateDict(new Primitives().stateDict())).toEqualTypeOf<LoadResult>();
  });
});

describe('State types are the saved shapes of the fields', () => {
  it('primitives, with widened initialisers', () => {
    expectTypeOf<PrimitivesState>().toEqualTypeOf<{
      count: number;
      ratio: number;
      label: string;
      enabled: boolean;
      nothing: null;
      runId: string;
    }>();
  });

  it('literal unions and enums', () => {
    expectTypeOf<LiteralUnionsState['mode']>().toEqualTypeOf<'min' | 'max'>();
    expectTypeOf<LiteralUnionsState['reduction']>().toEqualTypeOf<'mean' | 'sum' | 'none'>();
    expectTypeOf<LiteralUnionsState['mixed']>().toEqualTypeOf<'auto' | 0 | null>();
    expectTypeOf<EnumsState['phase']>().toEqualTypeOf<Phase>();
    expectTypeOf<EnumsState['precision']>().toEqualTypeOf<Precision>();
    expectTypeOf<EnumsState['evalPhase']>().toEqualTypeOf<Phase.Validate | Phase.Test>();
  });

  it('tuples keep their arity', () => {
    expectTypeOf<TuplesState['betas']>().toEqualTypeOf<[number, number]>();
    expectTypeOf<TuplesState['withOptional']>().toEqualTypeOf<[number, string?]>();
    expectTypeOf<TuplesState['empty']>().toEqualTypeOf<[]>();
  });

  it('optional (`?`) and undefinable fields are optional keys; nullable ones are not', () => {
    expectTypeOf<OptionalNullableState>().toEqualTypeOf<{
      note?: string;
      best: number | null;
      maybeBest?: number | null;
      window?: { size: number; stride?: number };
      lastError: string | null;
      checkpoints: (string | null)[] | null;
      lastSeen?: string;
    }>();
  });

  it('Map, Set, Date and bigint are saved as entries, items, epoch milliseconds and decimal strings', () => {
    expectTypeOf<CollectionsState['byName']>().toEqualTypeOf<[string, number][]>();
    expectTypeOf<CollectionsState['seen']>().toEqualTypeOf<string[]>();
    expectTypeOf<CollectionsState['startedAt']>().toEqualTypeOf<number>();
    expectTypeOf<CollectionsState['finishedAt']>().toEqualTypeOf<number | null>();
    expectTypeOf<CollectionsState['samples']>().toEqualTypeOf<string>();
    expectTypeOf<CollectionsState['stamps']>().toEqualTypeOf<[string, number][]>();
  });

  it('tensors keep their dtype', () => {
    expectTypeOf<TensorsState['weights']>().toEqualTypeOf<Tensor<'float32'>>();
    expectTypeOf<TensorsState['anyDtype']>().toEqualTypeOf<Tensor>();
    expectTypeOf<TensorsState['steps']>().toEqualTypeOf<Tensor<'int64'> | null>();
  });

  it('nested components use their own State types', () => {
    expectTypeOf<OuterState['middle']>().toEqualTypeOf<MiddleState>();
    expectTypeOf<MiddleState['inner']>().toEqualTypeOf<InnerCounterState>();
  });

  it('inherited State types extend their parents', () => {
    expectTypeOf<ThresholdCallbackState>().toExtend<MonitorCallbackState>();
    expectTypeOf<MonitorCallbackState>().toExtend<BaseCallbackState>();
    expectTypeOf<keyof ThresholdCallbackState>().toEqualTypeOf<'calls' | 'lastValue' | 'monitor' | 'threshold' | 'direction'>();
  });

  it('private and protected fields are part of the state type', () => {
    expectTypeOf<PatienceState>().toEqualTypeOf<{ wait: number; best: number | null; history: number[]; mode: 'min' | 'max' }>();
  });

  it('class-transformer values are plain objects (arrays of them too); opaque data stays unknown', () => {
    expectTypeOf<PlacedState>().toEqualTypeOf<{
      origin: Record<string, unknown>;
      target: Record<string, unknown> | null;
      path: Record<string, unknown>[];
      anchor: Record<string, unknown>;
      extra: unknown;
    }>();
  });

  it('persist options: keys are the `name`s', () => {
    expectTypeOf<keyof EarlyStoppingState>().toEqualTypeOf<'wait' | 'best_score' | 'remaining' | 'note' | 'lr' | 'val-loss'>();
  });
});

describe('loadStateDict() rejects wrong shapes at compile time', () => {
  const p = new Primitives();
  const valid = p.stateDict();

  it('a wrong field type', () => {
    // @ts-expect-error TS2322: count is a number
    p.loadStateDict({ ...valid, count: 'three' });
  });

  it('a missing required field', () => {
    const { ratio: _, ...withoutRatio } = valid;
    // @ts-expect-error TS2345: ratio is required
    p.loadStateDict(withoutRatio);
  });

  it('a wrong literal', () => {
    const l = new LiteralUnions();
    // @ts-expect-error TS2322: 'median' is not 'min' | 'max'
    l.loadStateDict({ ...l.stateDict(), mode: 'median' });
    // @ts-expect-error TS2322: 4 is not 1 | 2 | 3
    l.loadStateDict({ ...l.stateDict(), level: 4 });
  });

  it('a field value instead of its saved form', () => {
    const c = new Collections();
    // @ts-expect-error TS2322: a Map is saved as its entries
    c.loadStateDict({ ...c.stateDict(), byName: new Map<string, number>() });
    // @ts-expect-error TS2322: a bigint is saved as a decimal string
    c.loadStateDict({ ...c.stateDict(), samples: 1n });
  });

  it('a wrong nested state', () => {
    const o = new Outer();
    const state = o.stateDict();
    // @ts-expect-error TS2322: the nested mode is 'min' | 'max'
    o.loadStateDict({ ...state, middle: { ...state.middle, inner: { count: 1, mode: 'avg' } } });
  });

  it('a wrong tensor dtype', () => {
    const t = new Tensors();
    // @ts-expect-error TS2322: weights is Tensor<'float32'>
    t.loadStateDict({ ...t.stateDict(), weights: t.stateDict().steps! as Tensor<'int64'> });
  });

  it('the property name of a renamed field', () => {
    const e = new EarlyStopping();
    const { best_score, ...rest } = e.stateDict();
    // @ts-expect-error TS2345: the key is best_score
    e.loadStateDict({ ...rest, bestScore: best_score });
  });
});

describe('nested @stateful collections', () => {
  it('give precise element State types', () => {
    const run = new TrainingRun();
    const state = run.stateDict();
    expectTypeOf(state).toEqualTypeOf<TrainingRunState>();
    expectTypeOf(state.heads).toEqualTypeOf<HeadState[]>();
    expectTypeOf(state.frozen).toEqualTypeOf<readonly HeadState[]>();
    expectTypeOf(state.pair).toEqualTypeOf<[HeadState, LoaderState]>();
    expectTypeOf(state.byName).toEqualTypeOf<Record<string, HeadState>>();
    expectTypeOf(state.byId).toEqualTypeOf<[number, LoaderState][]>();
    expectTypeOf(state.byKey).toEqualTypeOf<[string | number, HeadState][]>();
    expectTypeOf(state.spare).toEqualTypeOf<HeadState | null>();
    expectTypeOf(state.extra).toEqualTypeOf<HeadState[] | undefined>();
    expectTypeOf(run.loadStateDict(state)).toEqualTypeOf<LoadResult>();
  });

  it('reject a wrong element state', () => {
    const run = new TrainingRun();
    const state = run.stateDict();
    // @ts-expect-error TS2322: a Head state has no position
    run.loadStateDict({ ...state, heads: [{ position: 1 }] });
    // @ts-expect-error TS2322: the tuple is [Head, Loader]
    run.loadStateDict({ ...state, pair: [state.pair[1], state.pair[0]] });
    // @ts-expect-error TS2322: byId is keyed by number
    run.loadStateDict({ ...state, byId: [['a', { position: 1 }]] });
    // @ts-expect-error TS2322: a record of Loader states, not Head states
    run.loadStateDict({ ...state, loaders: state.byName });
  });
});
