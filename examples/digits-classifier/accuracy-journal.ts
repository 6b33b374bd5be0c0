/**
 * A user callback with state: after each validation it notes the epoch, the step, the validation accuracy and the
 * learning rate, and remembers the best epoch. Its fields are `@persist`, so `npm run codegen` generates its state
 * (accuracy-journal.state.generated.ts) and the trainer saves it in every checkpoint; a resumed run continues the
 * same journal, and the flagship compares it with the uninterrupted run's like every other state.
 */
import { Callback, persist, stateful, type TrainerView } from 'kindling';
import { AccuracyJournalState } from './accuracy-journal.state.generated.js';

export interface JournalEntry {
  epoch: number;
  step: number;
  valAcc: number;
  lr: number;
}

@stateful(AccuracyJournalState)
export class AccuracyJournal extends Callback {
  @persist() entries: JournalEntry[] = [];
  @persist() bestEpoch: number | null = null;
  @persist() bestAcc = 0;
  /** Not state: where the journal prints (the flagship's child processes print one line per epoch). */
  private readonly print: ((line: string) => void) | undefined;

  constructor(print?: (line: string) => void) {
    super();
    this.print = print;
  }

  override onValidationEnd(trainer: TrainerView): void {
    if (trainer.sanityChecking) return;
    const valAcc = trainer.callbackMetrics['val_acc'];
    if (valAcc === undefined) return;
    const lr = trainer.optimizers['default']?.paramGroups[0]?.lr ?? Number.NaN;
    this.entries.push({ epoch: trainer.currentEpoch, step: trainer.globalStep, valAcc, lr });
    if (this.bestEpoch === null || valAcc > this.bestAcc) {
      this.bestEpoch = trainer.currentEpoch;
      this.bestAcc = valAcc;
    }
    this.print?.(`epoch ${trainer.currentEpoch} step ${trainer.globalStep} val_acc ${valAcc.toFixed(4)} lr ${lr.toExponential(3)}`);
  }

  override onTrainEpochStart(trainer: TrainerView): void {
    this.print?.(`epoch ${trainer.currentEpoch} started`);
  }
}
