import { persist, stateful } from 'kindling';
import { StepCounterState } from './step-counter.state.generated.js';

export type Phase = 'train' | 'validate';

/** Per-phase progress, counted in the order a step moves through: started, then completed. */
export interface PhaseProgress {
  started: number;
  completed: number;
}

/** Counts steps and epochs, and remembers when each phase last finished. */
@stateful(StepCounterState)
export class StepCounter {
  @persist() epoch = 0;
  @persist({ name: 'global_step', legacyNames: ['globalStep'] }) step = 0;
  @persist() progress: Record<Phase, PhaseProgress> = {
    train: { started: 0, completed: 0 },
    validate: { started: 0, completed: 0 },
  };
  @persist() lastCompleted = new Map<Phase, Date>();
  @persist({ optional: true }) tags = new Set<string>();

  start(phase: Phase): void {
    this.progress[phase].started += 1;
  }

  complete(phase: Phase, at: Date = new Date()): void {
    this.progress[phase].completed += 1;
    this.lastCompleted.set(phase, at);
    if (phase === 'train') this.step += 1;
  }

  nextEpoch(): void {
    this.epoch += 1;
  }
}
