/**
 * What `module.log(…)` records, with Lightning's semantics (`_ResultCollection`): a key logged with `onStep` is
 * reported after every step; a key logged with `onEpoch` is reduced over the epoch (or evaluation run) with its
 * `reduceFx` (mean by default; a plain mean over the logged calls) and reported at its end. A key logged with both
 * is reported as `<key>_step` and `<key>_epoch`; the callbacks also see it under `<key>` (the latest of the two).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LogOptions } from '../module-api.js';

export type ReduceFx = NonNullable<LogOptions['reduceFx']>;

/** Where `log` was called from decides its defaults, as in Lightning. */
export type LogContext = 'trainStep' | 'trainEpoch' | 'evalStep' | 'evalEpoch';

interface Entry {
  readonly name: string;
  readonly onStep: boolean;
  readonly onEpoch: boolean;
  readonly progBar: boolean;
  readonly logger: boolean;
  readonly reduceFx: ReduceFx;
  /** The value of the latest call in the current step (undefined once the step's metrics were taken). */
  stepValue: number | undefined;
  /** Every value of the epoch (for the reduction). */
  readonly values: number[];
}

/** The three destinations of a metric. */
export interface MetricSet {
  callback: Record<string, number>;
  logged: Record<string, number>;
  progBar: Record<string, number>;
}

export class LogError extends Error {
  override readonly name = 'LogError';
}

const REDUCE_FX: readonly ReduceFx[] = ['mean', 'sum', 'max', 'min'];

/** Reads a number or a one-element tensor synchronously (the caller may dispose the tensor afterwards). */
export function readMetric(name: string, value: number | tf.Tensor): number {
  if (typeof value === 'number') return value;
  if (value instanceof tf.Tensor) {
    if (value.size !== 1) throw new LogError(`log('${name}'): expected a number or a tensor with one element, got a tensor of shape [${value.shape.join(', ')}]`);
    return value.dataSync()[0]!;
  }
  throw new LogError(`log('${name}'): expected a number or a tensor, got ${typeof value}`);
}

function reduce(values: readonly number[], fx: ReduceFx): number {
  switch (fx) {
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
  }
}

/** The values logged during one loop run (a training epoch, a validation run). */
export class ResultCollection {
  private readonly entries = new Map<string, Entry>();

  log(name: string, value: number | tf.Tensor, options: LogOptions, context: LogContext): void {
    if (typeof name !== 'string' || name.length === 0) throw new LogError('log(name, …): name must be a non-empty string');
    const stepContext = context === 'trainStep';
    const onStep = options.onStep ?? stepContext;
    const onEpoch = options.onEpoch ?? !stepContext;
    if (!onStep && !onEpoch) throw new LogError(`log('${name}'): onStep and onEpoch are both false, so the value would go nowhere`);
    const reduceFx = options.reduceFx ?? 'mean';
    if (!REDUCE_FX.includes(reduceFx)) throw new LogError(`log('${name}'): reduceFx must be one of ${REDUCE_FX.join(', ')}, got ${String(reduceFx)}`);
    const v = readMetric(name, value);
    let entry = this.entries.get(name);
    const wanted = { onStep, onEpoch, progBar: options.progBar ?? false, logger: options.logger ?? true, reduceFx };
    if (entry === undefined) {
      entry = { name, ...wanted, stepValue: undefined, values: [] };
      this.entries.set(name, entry);
    } else if (entry.onStep !== onStep || entry.onEpoch !== onEpoch || entry.reduceFx !== reduceFx) {
      throw new LogError(`log('${name}'): logged earlier in this run with other options (onStep ${entry.onStep}, onEpoch ${entry.onEpoch}, reduceFx ${entry.reduceFx}); log a key with the same options every time`);
    }
    entry.stepValue = v;
    entry.values.push(v);
  }

  /** The step values logged since the last call (`onStep` keys), and forgets them. */
  takeStepMetrics(): MetricSet {
    const out: MetricSet = { callback: {}, logged: {}, progBar: {} };
    for (const e of this.entries.values()) {
      if (!e.onStep || e.stepValue === undefined) continue;
      const key = e.onEpoch ? `${e.name}_step` : e.name;
      out.callback[e.name] = e.stepValue;
      out.callback[key] = e.stepValue;
      if (e.logger) out.logged[key] = e.stepValue;
      if (e.progBar) out.progBar[key] = e.stepValue;
      e.stepValue = undefined;
    }
    return out;
  }

  /** The reductions of the `onEpoch` keys over the run so far. */
  epochMetrics(): MetricSet {
    const out: MetricSet = { callback: {}, logged: {}, progBar: {} };
    for (const e of this.entries.values()) {
      if (!e.onEpoch || e.values.length === 0) continue;
      const value = reduce(e.values, e.reduceFx);
      const key = e.onStep ? `${e.name}_epoch` : e.name;
      out.callback[e.name] = value;
      out.callback[key] = value;
      if (e.logger) out.logged[key] = value;
      if (e.progBar) out.progBar[key] = value;
    }
    return out;
  }

  /** The keys logged in this run. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  reset(): void {
    this.entries.clear();
  }
}
