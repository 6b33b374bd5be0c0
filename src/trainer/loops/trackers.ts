/**
 * Lightning's progress trackers (`lightning/pytorch/loops/progress.py`), in camelCase and with generated state. A
 * tracker counts how many units of work (epochs, batches, optimizer steps) reached each stage; the counters are meant
 * to be incremented in order (ready → started → processed → completed), so a saved tracker tells exactly where the
 * work was interrupted: a unit that is `ready` but not `completed` was in flight.
 */
import { persist, stateful } from '../../state/index.js';
import { ProcessedTrackerState, ReadyCompletedTrackerState, StartedTrackerState } from './trackers.state.generated.js';

/** Lightning's `_ReadyCompletedTracker`. */
@stateful(ReadyCompletedTrackerState)
export class ReadyCompletedTracker {
  @persist() ready = 0;
  @persist() completed = 0;

  reset(): void {
    this.ready = 0;
    this.completed = 0;
  }

  /** Forgets work that was in flight when the state was saved: it will be done again (Lightning's `reset_on_restart`). */
  resetOnRestart(): void {
    this.ready = this.completed;
  }
}

/** Lightning's `_StartedTracker`. */
@stateful(StartedTrackerState)
export class StartedTracker extends ReadyCompletedTracker {
  @persist() started = 0;

  override reset(): void {
    super.reset();
    this.started = 0;
  }

  override resetOnRestart(): void {
    super.resetOnRestart();
    this.started = this.completed;
  }
}

/** Lightning's `_ProcessedTracker`. */
@stateful(ProcessedTrackerState)
export class ProcessedTracker extends StartedTracker {
  @persist() processed = 0;

  override reset(): void {
    super.reset();
    this.processed = 0;
  }

  override resetOnRestart(): void {
    super.resetOnRestart();
    this.processed = this.completed;
  }
}
