/** The typed Checkpoint: sections and `stateOf` carry the components' generated State types; wrong reads fail tsc. */
import { describe, expectTypeOf, it } from 'vitest';
import type { StepLRState } from '../../src/components/schedulers/step-lr.state.generated.js';
import { StepLR } from '../../src/components/schedulers/step-lr.js';
import { SGD } from '../../src/components/optim/sgd.js';
import type { SGDState } from '../../src/components/optim/sgd.state.generated.js';
import { type Checkpoint, readTrainerCheckpoint, stateOf } from '../../src/trainer/connector/checkpoint.js';
import type { LoopsState } from '../../src/trainer/loops/loop-state.state.generated.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { PatienceCounter } from './support/patience-counter.js';
import type { PatienceCounterState } from './support/patience-counter.state.js';
import { TinyRegressor } from './support/tiny.js';
import type { Tensor } from '../../src/state/tensor.js';

declare const trainer: Trainer;
declare const counter: PatienceCounter;
declare const optimizer: SGD;
declare const scheduler: StepLR;

describe('Checkpoint', () => {
  it('types every section', () => {
    const checkpoint = trainer.dumpCheckpoint();
    expectTypeOf(checkpoint).toEqualTypeOf<Checkpoint>();
    expectTypeOf(checkpoint.epoch).toEqualTypeOf<number>();
    expectTypeOf(checkpoint.loops).toEqualTypeOf<LoopsState>();
    expectTypeOf(checkpoint.loops.fitLoop.epochProgress.total.completed).toEqualTypeOf<number>();
    expectTypeOf(checkpoint.loops.fitLoop.epochLoop.batchProgress.isLastBatch).toEqualTypeOf<boolean>();
    // @ts-expect-error: Lightning's positional `optimizer_states` is not a section of kindling's layout
    void checkpoint.optimizerStates;
    // @ts-expect-error: trackers count ready/started/processed/completed, nothing else
    void checkpoint.loops.fitLoop.epochProgress.total.done;
    // @ts-expect-error: a checkpoint is read-only data
    checkpoint.epoch = 3;
  });

  it('gives each component its own State type through stateOf', () => {
    const checkpoint = trainer.dumpCheckpoint();
    const state = stateOf(checkpoint, counter);
    expectTypeOf(state).toEqualTypeOf<PatienceCounterState>();
    expectTypeOf(state.wait).toEqualTypeOf<number>();
    // @ts-expect-error: PatienceCounter has no patience field in its state
    void state.patience;
    // @ts-expect-error: wait is a number
    const wait: string = state.wait;
    void wait;
    expectTypeOf(stateOf(checkpoint, optimizer)).toEqualTypeOf<SGDState>();
    expectTypeOf(stateOf(checkpoint, scheduler)).toEqualTypeOf<StepLRState>();
    // @ts-expect-error: a value without stateDict() is not a component
    stateOf(checkpoint, { weight: 1 });
  });

  it('types the module section of a checkpoint read from disk by the module', async () => {
    const checkpoint = await readTrainerCheckpoint('x.kcpt', { module: new TinyRegressor() });
    expectTypeOf(checkpoint.module).toEqualTypeOf<{ weight: Tensor; bias: Tensor }>();
    // @ts-expect-error: the module has no such parameter
    void checkpoint.module.kernel;
  });
});
