/**
 * Lightning's `_Progress` family: a `total` tracker that counts over the whole run and never resets, and a `current`
 * tracker that counts within the present run of the loop (an epoch's batches, a validation run's batches) and is reset
 * when the loop starts again. A `@stateful` class cannot be generic, so each tracker kind has its own progress class;
 * the counting they share lives in a generic base that is not `@stateful`.
 */
import { persist, stateful } from '../../state/index.js';
import {
  BatchProgressState,
  OptimizationProgressState,
  OptimizerProgressState,
  ProgressState,
  ReadyCompletedProgressState,
  StartedProgressState,
} from './progress.state.generated.js';
import { ProcessedTracker, ReadyCompletedTracker, StartedTracker } from './trackers.js';

/**
 * The counting both trackers of a progress share. Not `@stateful` itself (so it may be generic): each subclass
 * declares its `total` and `current` with `@persist`, with the tracker kind that gives its state.
 */
abstract class TrackerPair<T extends ReadyCompletedTracker> {
  abstract readonly total: T;
  abstract readonly current: T;

  incrementReady(): void {
    this.total.ready++;
    this.current.ready++;
  }

  incrementCompleted(): void {
    this.total.completed++;
    this.current.completed++;
  }

  /** At the start of a fresh run of the loop. */
  resetOnRun(): void {
    this.current.reset();
  }

  resetOnRestart(): void {
    this.current.resetOnRestart();
    this.total.resetOnRestart();
  }
}

abstract class StartedTrackerPair<T extends StartedTracker> extends TrackerPair<T> {
  incrementStarted(): void {
    this.total.started++;
    this.current.started++;
  }
}

/** Lightning's `_Progress` with `_ProcessedTracker`s (epochs). */
@stateful(ProgressState)
export class Progress extends StartedTrackerPair<ProcessedTracker> {
  @persist() readonly total = new ProcessedTracker();
  @persist() readonly current = new ProcessedTracker();

  incrementProcessed(): void {
    this.total.processed++;
    this.current.processed++;
  }
}

/** Lightning's `_BatchProgress`: batch counts, and whether the batch being processed is its loader's last. */
@stateful(BatchProgressState)
export class BatchProgress extends Progress {
  @persist() isLastBatch = false;

  override resetOnRun(): void {
    super.resetOnRun();
    this.isLastBatch = false;
  }
}

/** Lightning's `_Progress` with `_ReadyCompletedTracker`s (`_SchedulerProgress`, an optimizer's steps). */
@stateful(ReadyCompletedProgressState)
export class ReadyCompletedProgress extends TrackerPair<ReadyCompletedTracker> {
  @persist() readonly total = new ReadyCompletedTracker();
  @persist() readonly current = new ReadyCompletedTracker();
}

/** Lightning's `_Progress` with `_StartedTracker`s (an optimizer's gradient resets). */
@stateful(StartedProgressState)
export class StartedProgress extends StartedTrackerPair<StartedTracker> {
  @persist() readonly total = new StartedTracker();
  @persist() readonly current = new StartedTracker();
}

/** Lightning's `_OptimizerProgress`: optimizer steps and gradient resets. */
@stateful(OptimizerProgressState)
export class OptimizerProgress {
  @persist() readonly step = new ReadyCompletedProgress();
  @persist() readonly zeroGrad = new StartedProgress();

  resetOnRun(): void {
    this.step.resetOnRun();
    this.zeroGrad.resetOnRun();
  }

  resetOnRestart(): void {
    this.step.resetOnRestart();
    this.zeroGrad.resetOnRestart();
  }
}

/** Lightning's `_OptimizationProgress`: `optimizerSteps` is what `trainer.globalStep` reports. */
@stateful(OptimizationProgressState)
export class OptimizationProgress {
  @persist() readonly optimizer = new OptimizerProgress();

  get optimizerSteps(): number {
    return this.optimizer.step.total.completed;
  }

  resetOnRun(): void {
    this.optimizer.resetOnRun();
  }

  resetOnRestart(): void {
    this.optimizer.resetOnRestart();
  }
}
