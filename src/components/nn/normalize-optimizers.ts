/** Turns what `configureOptimizers()` returns into named configs with every scheduling option filled in. */
import { Optimizer } from '../optim/optimizer.js';
import { LRScheduler } from '../schedulers/lr-scheduler.js';
import { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau.js';
import { ModuleError } from './errors.js';
import type { LrSchedulerConfig, NormalizedLrSchedulerConfig, NormalizedOptimizerConfig, OptimizerConfig, OptimizersConfig } from './module-types.js';

/** The name of a single optimizer (and its scheduler) in checkpoints: `optimizers.default`, `lrSchedulers.default`. */
export const DEFAULT_OPTIMIZER_NAME = 'default';

function isSchedulerObject(value: unknown): value is LRScheduler | ReduceLROnPlateau {
  return value instanceof LRScheduler || value instanceof ReduceLROnPlateau;
}

function normalizeScheduler(where: string, config: LrSchedulerConfig | LRScheduler | undefined): NormalizedLrSchedulerConfig | undefined {
  if (config === undefined) return undefined;
  const c: LrSchedulerConfig = isSchedulerObject(config) ? { scheduler: config } : config;
  if (!isSchedulerObject(c.scheduler)) {
    throw new ModuleError(`${where}.lrScheduler.scheduler must be an LRScheduler or ReduceLROnPlateau, got ${String(c.scheduler)}`);
  }
  const interval = c.interval ?? 'epoch';
  if (interval !== 'epoch' && interval !== 'step') throw new ModuleError(`${where}.lrScheduler.interval must be 'epoch' or 'step', got ${String(interval)}`);
  const frequency = c.frequency ?? 1;
  if (!Number.isSafeInteger(frequency) || frequency < 1) throw new ModuleError(`${where}.lrScheduler.frequency must be an integer >= 1, got ${frequency}`);
  if (c.scheduler instanceof ReduceLROnPlateau && c.monitor === undefined) {
    throw new ModuleError(`${where}.lrScheduler: ReduceLROnPlateau needs the metric it reads: set monitor (e.g. monitor: 'val_loss')`);
  }
  return { scheduler: c.scheduler, interval, frequency, monitor: c.monitor, name: c.name };
}

function normalizeOne(where: string, config: OptimizerConfig): NormalizedOptimizerConfig {
  if (!(config.optimizer instanceof Optimizer)) throw new ModuleError(`${where}.optimizer must be a kindling Optimizer (SGD, Adam, AdamW, …), got ${String(config.optimizer)}`);
  return { optimizer: config.optimizer, lrScheduler: normalizeScheduler(where, config.lrScheduler) };
}

/**
 * Names every optimizer config: a single optimizer or config is `default`; a record keeps its keys. Throws
 * {@link ModuleError} for anything else, for an empty record, and for one optimizer listed under two names.
 */
export function normalizeOptimizers(config: OptimizersConfig): Record<string, NormalizedOptimizerConfig> {
  if (config instanceof Optimizer) return { [DEFAULT_OPTIMIZER_NAME]: { optimizer: config, lrScheduler: undefined } };
  if (typeof config !== 'object' || config === null) {
    throw new ModuleError(`configureOptimizers() must return an Optimizer, { optimizer, lrScheduler } or a record of those, got ${String(config)}`);
  }
  if ('optimizer' in config && config.optimizer instanceof Optimizer) {
    return { [DEFAULT_OPTIMIZER_NAME]: normalizeOne('configureOptimizers()', config as OptimizerConfig) };
  }
  const entries = Object.entries(config as Record<string, OptimizerConfig>);
  if (entries.length === 0) throw new ModuleError('configureOptimizers() returned an empty record; return at least one optimizer');
  const out: Record<string, NormalizedOptimizerConfig> = {};
  const seen = new Map<Optimizer, string>();
  for (const [name, one] of entries) {
    const where = `configureOptimizers().${name}`;
    if (typeof one !== 'object' || one === null) throw new ModuleError(`${where} must be { optimizer, lrScheduler? }, got ${String(one)}`);
    const normalized = normalizeOne(where, one);
    const earlier = seen.get(normalized.optimizer);
    if (earlier !== undefined) throw new ModuleError(`${where}: the same optimizer is also named ${earlier}; give each optimizer one name`);
    seen.set(normalized.optimizer, name);
    out[name] = normalized;
  }
  return out;
}
