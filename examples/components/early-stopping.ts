import { persist, stateful } from 'kindling';
import { EarlyStoppingState } from './early-stopping.state.generated.js';

/** Whether a lower or a higher monitored value is better. */
export type Mode = 'min' | 'max';

/**
 * Stops training when the monitored metric has not improved for `patience` checks. Its counters live in private
 * fields; they are persisted, so a resumed run continues counting where it stopped.
 */
@stateful(EarlyStoppingState)
export class EarlyStopping {
  @persist() mode: Mode;
  @persist({ legacyNames: ['best_score'] }) bestScore: number | null = null;
  @persist() private wait = 0;
  @persist() private stoppedAtStep: number | undefined;
  /** Configuration, not state: it comes from the constructor on every run. */
  private readonly patience: number;

  constructor(options: { mode?: Mode; patience?: number } = {}) {
    this.mode = options.mode ?? 'min';
    this.patience = options.patience ?? 3;
  }

  /** Records one value of the metric; returns whether training should stop. */
  check(value: number, step: number): boolean {
    const improved = this.bestScore === null || (this.mode === 'min' ? value < this.bestScore : value > this.bestScore);
    if (improved) {
      this.bestScore = value;
      this.wait = 0;
      return false;
    }
    this.wait += 1;
    if (this.wait < this.patience) return false;
    this.stoppedAtStep ??= step;
    return true;
  }

  get stopped(): boolean {
    return this.stoppedAtStep !== undefined;
  }
}
