/**
 * Lightning's Timer: stops `fit` once training has run for `duration`, checked after every step or every epoch
 * (`interval`), and measures the time spent in each stage.
 *
 * State: `timeElapsed`, seconds per stage (Lightning's `time_elapsed`). On resume only the training time is taken
 * back, as in Lightning: a resumed run stops when the *total* training time reaches `duration`. The saved values are
 * those of the Timer's last hook (it refreshes them in every hook it gets, and the trainer's checkpoints are taken in
 * hooks that run after it), so a checkpoint lags the clock by at most the time since that hook.
 */
import { persist, type StateIssue, stateful } from '../../state/index.js';
import { checkedState, rangeIssue } from '../rng/checked-state.js';
import { Callback } from './callback.js';
import type { TrainerModule, TrainerView } from './trainer-view.js';
import { CallbackConfigError } from './errors.js';
import { reconcileLoad } from './reconcile-load.js';
import { TimerState } from './timer.state.generated.js';

/** Where time is measured (Lightning's `RunningStage`). */
export type TimerStage = 'train' | 'sanityCheck' | 'validate' | 'test' | 'predict';

/** A duration as Lightning takes it: `'DD:HH:MM:SS'` (`'00:12:00:00'` is twelve hours) or its parts. */
export type TimerDuration = string | { readonly days?: number; readonly hours?: number; readonly minutes?: number; readonly seconds?: number };

export interface TimerOptions {
  /** Stop after this much training time; without it, the Timer only measures. */
  readonly duration?: TimerDuration;
  /** Check after every optimizer step (default) or every epoch. */
  readonly interval?: 'step' | 'epoch';
  /** Print a line when the time is up (default true). */
  readonly verbose?: boolean;
  /** The clock, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** What the Timer reads and sets on the trainer. */
export interface TimedTrainer {
  shouldStop: boolean;
  readonly sanityChecking: boolean;
}

const STAGES: readonly TimerStage[] = ['train', 'sanityCheck', 'validate', 'test', 'predict'];

@reconcileLoad(takeTrainingTime)
@checkedState(checkTimerState)
@stateful(TimerState)
export class Timer extends Callback {
  /** Seconds spent in each stage, as of the last hook. */
  @persist() timeElapsed: { train: number; sanityCheck: number; validate: number; test: number; predict: number } = {
    train: 0,
    sanityCheck: 0,
    validate: 0,
    test: 0,
    predict: 0,
  };

  /** The duration in seconds, or undefined. */
  readonly duration: number | undefined;
  readonly interval: 'step' | 'epoch';
  readonly verbose: boolean;
  private readonly now: () => number;
  private readonly started: Partial<Record<TimerStage, number>> = {};
  private readonly ended: Partial<Record<TimerStage, number>> = {};
  /** Training seconds restored from a checkpoint. */
  private offset = 0;

  constructor(options: TimerOptions = {}) {
    super();
    this.duration = options.duration === undefined ? undefined : parseDuration(options.duration);
    this.interval = options.interval ?? 'step';
    if (this.interval !== 'step' && this.interval !== 'epoch') {
      throw new CallbackConfigError(`Timer: interval must be 'step' or 'epoch', got '${String(this.interval)}'`);
    }
    this.verbose = options.verbose ?? true;
    this.now = options.now ?? (() => performance.now());
  }

  /** When `stage` last started, in the clock's milliseconds (undefined before it ran). */
  startTime(stage: TimerStage = 'train'): number | undefined {
    return this.started[stage];
  }

  endTime(stage: TimerStage = 'train'): number | undefined {
    return this.ended[stage];
  }

  /** Seconds spent in `stage` (training time includes what a restored checkpoint had). */
  elapsed(stage: TimerStage = 'train'): number {
    const offset = stage === 'train' ? this.offset : 0;
    const start = this.started[stage];
    if (start === undefined) return offset;
    const end = this.ended[stage] ?? this.now();
    return (end - start) / 1000 + offset;
  }

  /** Seconds left of `duration` (undefined without one). */
  remaining(stage: TimerStage = 'train'): number | undefined {
    return this.duration === undefined ? undefined : this.duration - this.elapsed(stage);
  }

  /** Marks `stage` as started now (the trainer's `on…Start` hooks). */
  start(stage: TimerStage): void {
    this.started[stage] = this.now();
    delete this.ended[stage];
    this.refresh();
  }

  /** Marks `stage` as ended now (the trainer's `on…End` hooks). */
  end(stage: TimerStage): void {
    this.ended[stage] = this.now();
    this.refresh();
  }

  /**
   * Refreshes the saved times and, at the configured interval, sets `trainer.shouldStop` when the training time has
   * reached `duration` (never clears it). Returns whether the time is up.
   */
  check(trainer: TimedTrainer, at: 'step' | 'epoch'): boolean {
    this.refresh();
    if (at !== this.interval || this.duration === undefined) return false;
    const elapsed = this.elapsed('train');
    if (elapsed < this.duration) return false;
    trainer.shouldStop = true;
    if (this.verbose) console.error(`[Timer] Time limit reached. Elapsed time is ${formatDuration(elapsed)}. Signaling Trainer to stop.`);
    return true;
  }

  override onTrainStart(_trainer: TrainerView, _module: TrainerModule): void {
    this.start('train');
  }

  override onTrainEnd(_trainer: TrainerView, _module: TrainerModule): void {
    this.end('train');
  }

  override onValidationStart(trainer: TrainerView, _module: TrainerModule): void {
    this.start(this.validationStage(trainer));
  }

  override onValidationEnd(trainer: TrainerView, _module: TrainerModule): void {
    this.end(this.validationStage(trainer));
  }

  override onTestStart(_trainer: TrainerView, _module: TrainerModule): void {
    this.start('test');
  }

  override onTestEnd(_trainer: TrainerView, _module: TrainerModule): void {
    this.end('test');
  }

  override onPredictStart(_trainer: TrainerView, _module: TrainerModule): void {
    this.start('predict');
  }

  override onPredictEnd(_trainer: TrainerView, _module: TrainerModule): void {
    this.end('predict');
  }

  override onTrainBatchEnd(trainer: TrainerView, _module: TrainerModule): void {
    this.check(trainer, 'step');
  }

  override onTrainEpochEnd(trainer: TrainerView, _module: TrainerModule): void {
    this.check(trainer, 'epoch');
  }

  /** The stage a validation run counts as. */
  validationStage(trainer: TimedTrainer): TimerStage {
    return trainer.sanityChecking ? 'sanityCheck' : 'validate';
  }

  private refresh(): void {
    const times = { ...this.timeElapsed };
    for (const stage of STAGES) times[stage] = this.elapsed(stage);
    this.timeElapsed = times;
  }
}

/** Seconds in a Lightning duration; throws CallbackConfigError on a malformed one. */
export function parseDuration(duration: TimerDuration): number {
  let parts: { days?: number; hours?: number; minutes?: number; seconds?: number };
  if (typeof duration === 'string') {
    const match = /^(\d+):(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(duration);
    if (match === null) throw new CallbackConfigError(`Timer: duration '${duration}' is not 'DD:HH:MM:SS' (e.g. '00:12:00:00' for twelve hours)`);
    parts = { days: Number(match[1]), hours: Number(match[2]), minutes: Number(match[3]), seconds: Number(match[4]) };
  } else {
    parts = duration;
  }
  const seconds = (parts.days ?? 0) * 86_400 + (parts.hours ?? 0) * 3600 + (parts.minutes ?? 0) * 60 + (parts.seconds ?? 0);
  if (!Number.isFinite(seconds) || seconds < 0) throw new CallbackConfigError(`Timer: duration ${JSON.stringify(duration)} is not a non-negative time`);
  return seconds;
}

/** `H:MM:SS` as Python prints a timedelta (whole seconds). */
function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / 86_400);
  const rest = whole % 86_400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

function checkTimerState(_self: Timer, state: Partial<TimerState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  for (const [stage, value] of Object.entries(state.timeElapsed ?? {})) {
    if (!(Number.isFinite(value) && value >= 0)) issues.push(rangeIssue(`${path}.timeElapsed.${stage}`, 'a finite number of seconds ≥ 0', value));
  }
  return issues;
}

/** Lightning's `load_state_dict`: the saved training time continues; the other stages are measured afresh. */
function takeTrainingTime(self: Timer): () => void {
  return () => {
    (self as unknown as { offset: number }).offset = self.timeElapsed.train;
  };
}
