import { CallbackConfigError, MonitorNotFoundError } from './errors.js';

/** Whether a smaller (`'min'`) or a larger (`'max'`) value of a monitored metric is better. */
export type MonitorMode = 'min' | 'max';

/** The metrics a monitoring callback reads: the trainer's `callbackMetrics` (what the module logged, reduced). */
export interface MetricsSource {
  readonly callbackMetrics: Readonly<Record<string, number>>;
}

export function checkMode(callback: string, mode: string): MonitorMode {
  if (mode !== 'min' && mode !== 'max') throw new CallbackConfigError(`${callback}: mode must be 'min' or 'max', got '${mode}'`);
  return mode;
}

/** Whether `candidate` is strictly better than `reference` in `mode` (Lightning's `torch.lt`/`torch.gt`). */
export function isBetter(mode: MonitorMode, candidate: number, reference: number): boolean {
  return mode === 'min' ? candidate < reference : candidate > reference;
}

/** The worst value of `mode`, where a fresh best score starts. */
export function worstScore(mode: MonitorMode): number {
  return mode === 'min' ? Infinity : -Infinity;
}

/**
 * The monitored value, or `undefined` when it is not logged: with `strict` that is an error naming the logged keys
 * (Lightning's `_validate_condition_metric`), otherwise the check is skipped.
 */
export function readMonitor(callback: string, source: MetricsSource, monitor: string, strict: boolean): number | undefined {
  const value = source.callbackMetrics[monitor];
  if (value !== undefined) return value;
  if (strict) throw new MonitorNotFoundError(callback, monitor, Object.keys(source.callbackMetrics));
  return undefined;
}

/** How often the trainer validates (the TrainerView fields Lightning's callbacks read to pick their check point). */
export interface ValidationSchedule {
  /** Validation runs after every `valCheckBatch` training batches. */
  readonly valCheckBatch: number;
  readonly numTrainingBatches: number;
  /** Validation runs every `checkValEveryNEpoch`-th epoch (`undefined` when only the batch interval counts). */
  readonly checkValEveryNEpoch: number | undefined;
}

/** Lightning's `val_check_interval == 1.0 and check_val_every_n_epoch == 1`: one validation, at each epoch's end. */
export function validatesOncePerEpoch(trainer: ValidationSchedule): boolean {
  return trainer.checkValEveryNEpoch === 1 && trainer.valCheckBatch >= trainer.numTrainingBatches;
}
