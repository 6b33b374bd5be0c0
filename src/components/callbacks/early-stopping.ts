/**
 * Lightning's EarlyStopping: stop fitting when a monitored metric stops improving, reaches a threshold, diverges or
 * is not finite.
 *
 * Restored on resume: `waitCount`, `bestScore`, `stoppedEpoch` and the stopping reason. **Not restored: `patience`**
 * (Lightning restores it, overriding the constructor, which users find surprising): the patience you pass when
 * resuming applies, counted against the restored `waitCount`. Neither `patience` nor `minDelta` is part of the
 * `stateKey`, so changing them on resume keeps the saved state; changing `monitor` or `mode` starts afresh.
 */
import { persist, type StateIssue, stateful } from '../../state/index.js';
import { checkedState, checkInteger } from '../rng/checked-state.js';
import { Callback, type CallbackHookOrder, type StateIdentity } from './callback.js';
import { EarlyStoppingState } from './early-stopping.state.generated.js';
import { CallbackConfigError } from './errors.js';
import type { TrainerModule, TrainerView } from './trainer-view.js';
import { checkMode, isBetter, type MetricsSource, type MonitorMode, readMonitor, type ValidationSchedule, validatesOncePerEpoch, worstScore } from './monitor.js';

/** Why early stopping stopped (Lightning's `EarlyStoppingReason`, in camelCase). */
export type EarlyStoppingReason = 'notStopped' | 'stoppingThreshold' | 'divergenceThreshold' | 'patienceExhausted' | 'nonFiniteMetric';

export interface EarlyStoppingOptions {
  /** The logged metric to watch, e.g. `'val_loss'`. */
  readonly monitor: string;
  /** The smallest change that counts as an improvement (default 0); its sign is ignored. */
  readonly minDelta?: number;
  /** Checks without improvement before stopping (default 3). A check runs once per validation (or train epoch). */
  readonly patience?: number;
  readonly mode?: MonitorMode;
  /** Throw when `monitor` is not logged (default true); otherwise the check is skipped. */
  readonly strict?: boolean;
  /** Stop when the metric becomes NaN or infinite (default true). */
  readonly checkFinite?: boolean;
  /** Stop as soon as the metric is better than this. */
  readonly stoppingThreshold?: number;
  /** Stop as soon as the metric is worse than this. */
  readonly divergenceThreshold?: number;
  /**
   * Check at the end of each training epoch instead of after each validation. Default: at the train epoch end when
   * validation runs exactly once per epoch, otherwise after validation (as Lightning decides in `setup`).
   */
  readonly checkOnTrainEpochEnd?: boolean;
  /** Print the decision of each check (default false). */
  readonly verbose?: boolean;
}

/** The outcome of one check. */
export interface StoppingDecision {
  readonly shouldStop: boolean;
  readonly reason: EarlyStoppingReason;
  /** What happened, for a log line; undefined when nothing noteworthy did (no improvement, patience left). */
  readonly message: string | undefined;
}

/** What EarlyStopping reads and sets on the trainer. */
export interface EarlyStoppingTrainer extends MetricsSource {
  readonly currentEpoch: number;
  shouldStop: boolean;
}

@checkedState(checkEarlyStoppingState)
@stateful(EarlyStoppingState)
export class EarlyStopping extends Callback {
  /** Checks in a row without improvement. */
  @persist() waitCount = 0;
  /** The epoch at which this callback stopped the fit; 0 when it did not. */
  @persist() stoppedEpoch = 0;
  /** The best value seen (±Infinity before the first check). */
  @persist() bestScore: number;
  @persist() stoppingReason: EarlyStoppingReason = 'notStopped';
  /** The message of the check that stopped the fit. */
  @persist() stoppingReasonMessage: string | null = null;

  readonly monitor: string;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly patience: number;
  readonly strict: boolean;
  readonly checkFinite: boolean;
  readonly stoppingThreshold: number | undefined;
  readonly divergenceThreshold: number | undefined;
  readonly verbose: boolean;
  /** Resolved by {@link resolveCheckPoint} (the trainer's setup) when not given. */
  checkOnTrainEpochEnd: boolean | undefined;

  constructor(options: EarlyStoppingOptions) {
    super();
    this.monitor = options.monitor;
    this.mode = checkMode('EarlyStopping', options.mode ?? 'min');
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 3;
    if (!Number.isInteger(this.patience) || this.patience < 0) {
      throw new CallbackConfigError(`EarlyStopping: patience must be an integer ≥ 0, got ${this.patience}`);
    }
    if (!Number.isFinite(this.minDelta)) throw new CallbackConfigError(`EarlyStopping: minDelta must be finite, got ${options.minDelta}`);
    this.strict = options.strict ?? true;
    this.checkFinite = options.checkFinite ?? true;
    this.stoppingThreshold = options.stoppingThreshold;
    this.divergenceThreshold = options.divergenceThreshold;
    this.checkOnTrainEpochEnd = options.checkOnTrainEpochEnd;
    this.verbose = options.verbose ?? false;
    this.bestScore = worstScore(this.mode);
  }

  protected override stateIdentity(): StateIdentity {
    return { monitor: this.monitor, mode: this.mode };
  }

  /** Runs with the monitoring callbacks: its `onTrainEpochEnd` sees what the module logged in its own. */
  override get hookOrder(): CallbackHookOrder {
    return 'monitoring';
  }

  override setup(trainer: TrainerView): void {
    this.resolveCheckPoint(trainer);
  }

  override onTrainEpochEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (this.checkOnTrainEpochEnd === true && !skipsCheck(trainer)) this.check(trainer);
  }

  override onValidationEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (this.checkOnTrainEpochEnd !== true && !skipsCheck(trainer)) this.check(trainer);
  }

  /**
   * Lightning's rule for the default check point (`val_check_interval == 1.0 and check_val_every_n_epoch == 1`):
   * after each train epoch when validation runs once per epoch, at its end, otherwise after each validation.
   */
  resolveCheckPoint(trainer: ValidationSchedule): void {
    this.checkOnTrainEpochEnd ??= validatesOncePerEpoch(trainer);
  }

  /**
   * One check against `current` (Lightning's `_evaluate_stopping_criteria`, same order of tests): not finite, then
   * the stopping threshold, then divergence, then improvement by more than `minDelta` (which resets `waitCount`),
   * otherwise one more check without improvement.
   */
  evaluate(current: number): StoppingDecision {
    const { monitor, mode } = this;
    const best = formatScore(this.bestScore);
    if (this.checkFinite && !Number.isFinite(current)) {
      return stop('nonFiniteMetric', `Monitored metric ${monitor} = ${current} is not finite. Previous best value was ${best}. Signaling Trainer to stop.`);
    }
    const order = mode === 'min' ? '<' : '>';
    if (this.stoppingThreshold !== undefined && isBetter(mode, current, this.stoppingThreshold)) {
      return stop('stoppingThreshold', `Stopping threshold reached: ${monitor} = ${current} ${order} ${this.stoppingThreshold}. Signaling Trainer to stop.`);
    }
    if (this.divergenceThreshold !== undefined && isBetter(mode, this.divergenceThreshold, current)) {
      const reverse = mode === 'min' ? '>' : '<';
      return stop('divergenceThreshold', `Divergence threshold reached: ${monitor} = ${current} ${reverse} ${this.divergenceThreshold}. Signaling Trainer to stop.`);
    }
    const shifted = mode === 'min' ? current + this.minDelta : current - this.minDelta;
    if (isBetter(mode, shifted, this.bestScore)) {
      const message = this.improvementMessage(current);
      this.bestScore = current;
      this.waitCount = 0;
      return { shouldStop: false, reason: 'notStopped', message };
    }
    this.waitCount += 1;
    if (this.waitCount >= this.patience) {
      return stop('patienceExhausted', `Monitored metric ${monitor} did not improve in the last ${this.waitCount} records. Best score: ${best}. Signaling Trainer to stop.`);
    }
    return { shouldStop: false, reason: 'notStopped', message: undefined };
  }

  /**
   * Reads the monitored metric from the trainer, evaluates it and sets `trainer.shouldStop` when the fit must stop
   * (never clears it: another callback may have asked to stop). Returns the decision, or undefined when the metric
   * is not logged and `strict` is off.
   */
  check(trainer: EarlyStoppingTrainer): StoppingDecision | undefined {
    const current = readMonitor('EarlyStopping', trainer, this.monitor, this.strict);
    if (current === undefined) return undefined;
    const decision = this.evaluate(current);
    if (decision.shouldStop) {
      trainer.shouldStop = true;
      this.stoppedEpoch = trainer.currentEpoch;
      this.stoppingReason = decision.reason;
      this.stoppingReasonMessage = decision.message ?? null;
    }
    if (this.verbose && decision.message !== undefined) console.error(`[EarlyStopping] ${decision.message}`);
    return decision;
  }

  private improvementMessage(current: number): string {
    if (Number.isFinite(this.bestScore)) {
      const delta = Math.abs(this.bestScore - current);
      return `Metric ${this.monitor} improved by ${formatScore(delta)} >= minDelta = ${this.minDelta}. New best score: ${formatScore(current)}`;
    }
    return `Metric ${this.monitor} improved. New best score: ${formatScore(current)}`;
  }
}

/** Lightning's `_should_skip_check`: only while fitting, never during the sanity check. */
function skipsCheck(trainer: TrainerView): boolean {
  return trainer.state.fn !== 'fit' || trainer.sanityChecking;
}

function stop(reason: EarlyStoppingReason, message: string): StoppingDecision {
  return { shouldStop: true, reason, message };
}

/** Python's `f"{x:.3f}"`, including `inf`/`nan`. */
function formatScore(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return value.toFixed(3);
}

function checkEarlyStoppingState(_self: EarlyStopping, state: Partial<EarlyStoppingState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  checkInteger(issues, `${path}.waitCount`, state.waitCount, 0, Number.MAX_SAFE_INTEGER);
  checkInteger(issues, `${path}.stoppedEpoch`, state.stoppedEpoch, 0, Number.MAX_SAFE_INTEGER);
  return issues;
}
