/**
 * Generated State types must be usable wherever the checkpoint layer takes a state tree: they are object types (not
 * interfaces, which get no implicit index signature), optional members and subclass intersections included.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { StateTree, StateValue } from 'kindling/checkpoint';
import type { EarlyStoppingState } from '../../../examples/components/early-stopping.state.generated.js';
import type { StepCounterState } from '../../../examples/components/step-counter.state.generated.js';
import type { WeightAveragerState } from '../../../examples/components/weight-averager.state.generated.js';

describe('generated State types', () => {
  it('are assignable to StateTree and StateValue', () => {
    expectTypeOf<EarlyStoppingState>().toExtend<StateTree>();
    expectTypeOf<StepCounterState>().toExtend<StateValue>();
    expectTypeOf<WeightAveragerState>().toExtend<StateTree>();
    expectTypeOf<{ earlyStopping: EarlyStoppingState; averager: WeightAveragerState }>().toExtend<StateTree>();
  });

  it('nest the nested component state type', () => {
    expectTypeOf<WeightAveragerState['counter']>().toEqualTypeOf<StepCounterState>();
  });
});
