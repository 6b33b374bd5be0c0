/**
 * A callback with state, for connector tests: counts validations without improvement of `monitor`. Its state code
 * (patience-counter.state.ts) is what `kindling codegen` writes for it, kept by hand because codegen skips test/.
 * `wait` was once saved as `waitCount` (a legacy field name).
 */
import { Callback } from '../../../src/components/callbacks/callback.js';
import type { TrainerView } from '../../../src/components/callbacks/trainer-view.js';
import { persist, stateful } from '../../../src/state/index.js';
import type { StateIdentity } from '../../../src/components/callbacks/callback.js';
import { PatienceCounterState } from './patience-counter.state.js';

@stateful(PatienceCounterState)
export class PatienceCounter extends Callback {
  @persist({ legacyNames: ['waitCount'] }) wait = 0;
  @persist() best: number | null = null;

  constructor(readonly monitor = 'val_loss') {
    super();
  }

  protected override stateIdentity(): StateIdentity {
    return { monitor: this.monitor };
  }

  override onValidationEnd(trainer: TrainerView): void {
    if (trainer.sanityChecking) return;
    const value = trainer.callbackMetrics[this.monitor];
    if (value === undefined) return;
    if (this.best === null || value < this.best) {
      this.best = value;
      this.wait = 0;
    } else this.wait++;
  }
}
