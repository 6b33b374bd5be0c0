/**
 * The progress bar: epoch, batch, step, the training loss and the metrics logged with `progBar: true`.
 *
 * On a terminal (the stream's `isTTY`, stderr by default) it draws a cli-progress bar, redrawn every `refreshRate`
 * batches. Anywhere else (CI logs, files) it prints plain lines instead: one every `lineEvery` batches (default: ten
 * per epoch) and one at each epoch end, so a log stays readable and short. It has no state.
 */
import * as tf from '@tensorflow/tfjs-core';
import cliProgress from 'cli-progress';
import { Callback } from '../callback.js';
import { CallbackConfigError } from '../errors.js';
import type { TrainerModule, TrainerView } from '../trainer-view.js';
import { formatMetrics, plainLine } from './format.js';

/** Where the bar goes: a writable text stream (process.stderr by default). */
export interface ProgressStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** Terminal: redraw every N batches (default 1). */
  readonly refreshRate?: number;
  /** Not a terminal: a line every N batches (default: a tenth of the epoch, at least 1). */
  readonly lineEvery?: number;
  readonly stream?: ProgressStream;
}

export class ProgressBar extends Callback {
  readonly refreshRate: number;
  readonly lineEvery: number | undefined;
  private readonly stream: ProgressStream;
  private bar: cliProgress.SingleBar | undefined;
  private total = 0;
  private loss: number | undefined;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.refreshRate = options.refreshRate ?? 1;
    this.lineEvery = options.lineEvery;
    for (const [name, value] of [['refreshRate', this.refreshRate], ['lineEvery', this.lineEvery]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new CallbackConfigError(`ProgressBar: ${name} must be an integer ≥ 1, got ${value}`);
    }
    this.stream = options.stream ?? process.stderr;
  }

  /** Whether it draws a bar (a terminal) rather than plain lines. */
  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  override onTrainEpochStart(trainer: TrainerView, _module: TrainerModule): void {
    this.total = trainer.numTrainingBatches;
    this.loss = undefined;
    if (!this.interactive) return;
    this.bar?.stop();
    this.bar = new cliProgress.SingleBar(
      { stream: this.stream as NodeJS.WritableStream, format: 'Epoch {epoch} [{bar}] {value}/{total} | {metrics}', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(Number.isFinite(this.total) ? this.total : 0, 0, { epoch: trainer.currentEpoch, metrics: '' });
  }

  override onTrainBatchEnd(trainer: TrainerView, _module: TrainerModule, outputs: unknown, _batch: unknown, batchIdx: number): void {
    this.loss = readLoss(outputs) ?? this.loss;
    const done = batchIdx + 1;
    if (this.interactive) {
      if (done % this.refreshRate === 0 || trainer.isLastBatch) this.bar?.update(done, { epoch: trainer.currentEpoch, metrics: formatMetrics(this.metrics(trainer)) });
      return;
    }
    const every = this.lineEvery ?? Math.max(1, Math.floor((Number.isFinite(this.total) ? this.total : 100) / 10));
    if (done % every === 0 && !trainer.isLastBatch) this.stream.write(plainLine(trainer.currentEpoch, done, this.total, this.metrics(trainer)));
  }

  override onTrainEpochEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (this.interactive) {
      this.bar?.update({ metrics: formatMetrics(this.metrics(trainer)) });
      this.bar?.stop();
      this.bar = undefined;
      return;
    }
    this.stream.write(plainLine(trainer.currentEpoch, Number.isFinite(this.total) ? this.total : 0, this.total, this.metrics(trainer)));
  }

  override onFitEnd(_trainer: TrainerView, _module: TrainerModule): void {
    this.stop();
  }

  override onException(_trainer: TrainerView, _module: TrainerModule, _error: unknown): void {
    this.stop();
  }

  /** What the bar shows after the position: step, loss, then the `progBar` metrics. */
  metrics(trainer: Pick<TrainerView, 'globalStep' | 'progressBarMetrics'>): Record<string, number> {
    const loss: Record<string, number> = this.loss !== undefined && !('loss' in trainer.progressBarMetrics) ? { loss: this.loss } : {};
    return { step: trainer.globalStep, ...loss, ...trainer.progressBarMetrics };
  }

  private stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** The loss of a training step's output (a scalar, or `{ loss }`), when it is still readable. */
function readLoss(outputs: unknown): number | undefined {
  const loss = outputs instanceof tf.Tensor ? outputs : (outputs as { loss?: unknown } | null | undefined)?.loss;
  if (typeof loss === 'number') return loss;
  if (!(loss instanceof tf.Tensor) || loss.isDisposed || loss.size !== 1) return undefined;
  return loss.dataSync()[0];
}
