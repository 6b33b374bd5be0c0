/**
 * Routes logged values to the trainer's three metric maps and to the loggers (Lightning's `_LoggerConnector`).
 * Step values reach the loggers every `logEveryNSteps` optimizer steps (and on the step where training stops), epoch
 * values at the end of each epoch or evaluation run, with `epoch` added as Lightning does.
 */
import type { HParams } from '../../components/data/data-module.js';
import type { MetricSet } from './results.js';

/** What the trainer needs of a logger (kindling's `Logger` interface, src/trainer/loggers, has this shape). */
export interface TrainerLogger {
  logMetrics(metrics: Readonly<Record<string, number>>, step: number): void | Promise<void>;
  logHyperparams(params: HParams): void | Promise<void>;
  /** Called when an entry point ends: 'success', 'failed' or 'interrupted' (the files are then complete). */
  finalize(status: 'success' | 'failed' | 'interrupted'): void | Promise<void>;
  /** The directory the logger writes to (`<root>/kindling_logs/version_N`); checkpoints go beside it. */
  readonly logDir?: string;
}

export class LoggerConnector {
  readonly callbackMetrics: Record<string, number> = {};
  readonly loggedMetrics: Record<string, number> = {};
  readonly progressBarMetrics: Record<string, number> = {};
  private pending: Promise<unknown>[] = [];

  constructor(readonly loggers: readonly TrainerLogger[]) {}

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
  async finalize(status: 'success' | 'failed' | 'interrupted'): Promise<void> {
    await this.flush();
    for (const logger of this.loggers) await logger.finalize(status);
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

  private track(result: void | Promise<void>): void {
    if (result instanceof Promise) this.pending.push(result);
  }
}
