/**
 * Lightning's `_Progress` family: a `total` tracker that counts over the whole run and never resets, and a `current`
 * tracker that counts within the present run of the loop (an epoch's batches, a validation run's batches) and is reset
 * when the loop starts again. A `@stateful` class cannot be generic, so each tracker kind has its own progress class.
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

/** Lightning's `_Progress` with `_ProcessedTracker`s (epochs). */
@stateful(ProgressState)
export class Progress {
  @persist() readonly total = new ProcessedTracker();
  @persist() readonly current = new ProcessedTracker();

  incrementReady(): void {
    this.total.ready++;
    this.current.ready++;
  }

  incrementStarted(): void {
    this.total.started++;
    this.current.started++;
  }

  incrementProcessed(): void {
    this.total.processed++;
    this.current.processed++;
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
export class ReadyCompletedProgress {
  @persist() readonly total = new ReadyCompletedTracker();
  @persist() readonly current = new ReadyCompletedTracker();

  incrementReady(): void {
    this.total.ready++;
    this.current.ready++;
  }

  incrementCompleted(): void {
    this.total.completed++;
    this.current.completed++;
  }

  resetOnRun(): void {
    this.current.reset();
  }

  resetOnRestart(): void {
    this.current.resetOnRestart();
    this.total.resetOnRestart();
  }
}

/** Lightning's `_Progress` with `_StartedTracker`s (an optimizer's gradient resets). */
@stateful(StartedProgressState)
export class StartedProgress {
  @persist() readonly total = new StartedTracker();
  @persist() readonly current = new StartedTracker();

  incrementReady(): void {
    this.total.ready++;
    this.current.ready++;
  }

  incrementStarted(): void {
    this.total.started++;
    this.current.started++;
  }

  incrementCompleted(): void {
    this.total.completed++;
    this.current.completed++;
  }

  resetOnRun(): void {
    this.current.reset();
  }

  resetOnRestart(): void {
    this.current.resetOnRestart();
    this.total.resetOnRestart();
  }
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
