/**
 * The loops' persisted state: Lightning's loop progress (`fit_loop.epoch_progress`,
 * `fit_loop.epoch_loop.batch_progress`, …), declared with `@persist` and generated like any other component's. In a
 * checkpoint it is the `loops` section, nested rather than Lightning's flat dotted keys (`fitLoop.epochLoop.batchProgress`
 * is a path into objects here). The loops' behaviour lives in the trainer (src/trainer/run); these classes hold the
 * counters it advances, so that a saved checkpoint says exactly where training stood.
 */
import { persist, stateful } from '../../state/index.js';
import { BatchProgress, OptimizationProgress, Progress, ReadyCompletedProgress } from './progress.js';
import {
  AutomaticOptimizationState,
  EvaluationLoopState,
  FitLoopState,
  LoopsState,
  TrainingEpochLoopState,
} from './loop-state.state.generated.js';

/** Lightning's `_EvaluationLoop` / `_PredictionLoop` state: the batches of the current (or last) run. */
@stateful(EvaluationLoopState)
export class EvaluationLoop {
  @persist() readonly batchProgress = new BatchProgress();
}

/** Lightning's `_AutomaticOptimization` state. */
@stateful(AutomaticOptimizationState)
export class AutomaticOptimization {
  @persist() readonly optimProgress = new OptimizationProgress();
}

/** Lightning's `_TrainingEpochLoop` state. */
@stateful(TrainingEpochLoopState)
export class TrainingEpochLoop {
  @persist() readonly batchProgress = new BatchProgress();
  @persist() readonly schedulerProgress = new ReadyCompletedProgress();
  @persist() readonly automaticOptimization = new AutomaticOptimization();
  /**
   * Training batches after which an optimizer step was taken or attempted (Lightning's `_batches_that_stepped`): the
   * step loggers record metrics at. It differs from `globalStep` when the precision plugin skips steps.
   */
  @persist() batchesThatStepped = 0;
  /** The validation that runs inside training (after `valCheckInterval` batches or at an epoch's end). */
  @persist() readonly valLoop = new EvaluationLoop();
  /**
   * The number of the epoch's batches that were done when validation last ran in this epoch (-1: not yet). A run
   * resumed from a checkpoint saved after that validation (in `onValidationEnd`) does not validate again.
   */
  @persist() lastValidatedBatch = -1;
}

/** Lightning's `_FitLoop` state. */
@stateful(FitLoopState)
export class FitLoop {
  @persist() readonly epochProgress = new Progress();
  @persist() readonly epochLoop = new TrainingEpochLoop();
}

/** The `loops` section: one state per entry point, as Lightning's `fit_loop`, `validate_loop`, `test_loop`, `predict_loop`. */
@stateful(LoopsState)
export class Loops {
  @persist() readonly fitLoop = new FitLoop();
  @persist() readonly validateLoop = new EvaluationLoop();
  @persist() readonly testLoop = new EvaluationLoop();
  @persist() readonly predictLoop = new EvaluationLoop();
}
