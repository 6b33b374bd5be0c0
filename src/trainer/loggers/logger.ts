/**
 * The interface between the trainer and what records a run (Lightning's `Logger`). kindling ships CSVLogger and
 * JSONLLogger; a user's own logger (a database, a dashboard) implements this interface.
 *
 * The trainer calls `logHyperparams` once at the start of a fit, `logMetrics` every `logEveryNSteps` optimizer steps
 * and at epoch ends with the values logged with `logger: true`, and `finalize` once when the run ends, with how it
 * ended. Loggers must not throw on a metric name they have not seen before: a new key may appear at any step.
 */
import type { HParams } from '../../components/data/data-module.js';

/** How a run ended, for {@link Logger.finalize}. */
export type RunStatus = 'success' | 'failed' | 'interrupted';

export interface Logger {
  /** The experiment name (`kindling_logs` by default for the file loggers). */
  readonly name: string;
  /** The run's version (`version_N` directory number for the file loggers). */
  readonly version: number | string;
  /** Where this logger writes, if it writes files; ModelCheckpoint's default dirpath is `<logDir>/checkpoints`. */
  readonly logDir?: string;
  /** Records the metrics of one step. `metrics` holds plain numbers (the trainer reads tensors before calling). */
  logMetrics(metrics: Readonly<Record<string, number>>, step: number): void;
  /** Records the run's hyperparameters (the module's and the datamodule's `hparams`). */
  logHyperparams(params: HParams): void;
  /** Writes anything buffered (called at checkpoints so a log never lags behind a saved checkpoint). */
  save?(): void;
  /** Writes anything buffered and releases resources; the logger is not used afterwards. */
  finalize(status: RunStatus): void;
}
