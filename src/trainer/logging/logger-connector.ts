/**
 * Routes logged values to the trainer's three metric maps and to the loggers (Lightning's `_LoggerConnector`).
 * Step values reach the loggers every `logEveryNSteps` optimizer steps (and on the step where training stops), epoch
 * values at the end of each epoch or evaluation run, with `epoch` added as Lightning does.
 */
import type { HParams } from '../../components/data/data-module.js';
import type { Logger, RunStatus } from '../loggers/logger.js';
import type { MetricSet } from './results.js';

export class LoggerConnector {
  readonly callbackMetrics: Record<string, number> = {};
  readonly loggedMetrics: Record<string, number> = {};
  readonly progressBarMetrics: Record<string, number> = {};
  private pending: Promise<unknown>[] = [];

  constructor(readonly loggers: readonly Logger[]) {}

  /** Updates the maps; sends `logged` to the loggers when `step` is given. */
  apply(metrics: MetricSet, step: number | undefined, epoch: number | undefined): void {
    Object.assign(this.callbackMetrics, metrics.callback);
    Object.assign(this.progressBarMetrics, metrics.progBar);
    if (step === undefined || Object.keys(metrics.logged).length === 0) return;
    const logged = epoch === undefined ? { ...metrics.logged } : { ...metrics.logged, epoch };
    Object.assign(this.loggedMetrics, logged);
    this.send(logged, step);
  }

  /** Sends metrics to every logger (what TrainerView.logMetrics does). */
  send(metrics: Readonly<Record<string, number>>, step: number): void {
    for (const logger of this.loggers) this.track(logger.logMetrics(metrics, step));
  }

  logHyperparams(params: HParams): void {
    for (const logger of this.loggers) this.track(logger.logHyperparams(params));
  }

  /** Waits for asynchronous logger writes, then finalizes every logger. */
  async finalize(status: RunStatus): Promise<void> {
    await this.flush();
    for (const logger of this.loggers) logger.finalize(status);
  }

  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }

  /** Forgets everything logged (a new entry point starts with empty metrics, as in Lightning). */
  reset(): void {
    for (const map of [this.callbackMetrics, this.loggedMetrics, this.progressBarMetrics]) {
      for (const key of Object.keys(map)) delete map[key];
    }
  }

  /** Lets loggers write what they buffer (before a checkpoint is saved, so a log never lags behind it). */
  save(): void {
    for (const logger of this.loggers) logger.save?.();
  }

  private track(result: unknown): void {
    if (result instanceof Promise) this.pending.push(result);
  }
}
