/**
 * Lightning's LearningRateMonitor: sends each param group's learning rate (and optionally momentum and weight decay)
 * to the loggers, at every logging step (`loggingInterval: 'step'`: every `logEveryNSteps` optimizer steps of the
 * trainer, as Lightning), every epoch start (`'epoch'`), or at each scheduler's own interval (default).
 *
 * Keys are Lightning's: `lr-<Optimizer>` (`lr-SGD`) for the single optimizer kindling names `default`, `lr-<name>` for
 * named optimizers, the scheduler's name when it was given one, with `/pg<N>` added when an optimizer has several
 * param groups; `-momentum` and `-weight_decay` follow the key. It has no state.
 */
import { Callback } from './callback.js';
import { CallbackConfigError } from './errors.js';
import type { Metrics, TrainerModule, TrainerOptimizer, TrainerView } from './trainer-view.js';

export interface LearningRateMonitorOptions {
  /** `'step'` or `'epoch'`; default: each scheduler at its own interval (optimizers without one at both). */
  readonly loggingInterval?: 'step' | 'epoch';
  /** Also log momentum (`betas[0]` for Adam-like optimizers), default false. */
  readonly logMomentum?: boolean;
  /** Also log weight decay, default false. */
  readonly logWeightDecay?: boolean;
}

type Interval = 'step' | 'epoch' | 'any';

export class LearningRateMonitor extends Callback {
  readonly loggingInterval: 'step' | 'epoch' | undefined;
  readonly logMomentum: boolean;
  readonly logWeightDecay: boolean;

  constructor(options: LearningRateMonitorOptions = {}) {
    super();
    const interval = options.loggingInterval;
    if (interval !== undefined && interval !== 'step' && interval !== 'epoch') {
      throw new CallbackConfigError(`LearningRateMonitor: loggingInterval must be 'step', 'epoch' or left out, got '${String(interval)}'`);
    }
    this.loggingInterval = interval;
    this.logMomentum = options.logMomentum ?? false;
    this.logWeightDecay = options.logWeightDecay ?? false;
  }

  /** As Lightning, it refuses to run with nothing to log to: without a logger every value it extracts is dropped. */
  override onTrainStart(trainer: TrainerView, _module: TrainerModule): void {
    if (trainer.loggers.length > 0) return;
    throw new CallbackConfigError(
      'LearningRateMonitor sends learning rates to the trainer\'s loggers, and this Trainer has none (kindling has no default ' +
        "logger): pass one, e.g. new Trainer({ logger: new CSVLogger({ saveDir: '…' }), … }), or remove the LearningRateMonitor",
    );
  }

  override onTrainBatchStart(trainer: TrainerView, _module: TrainerModule): void {
    if (this.loggingInterval === 'epoch' || !shouldUpdateLogs(trainer)) return;
    this.logStats(trainer, this.loggingInterval === undefined ? 'step' : 'any');
  }

  override onTrainEpochStart(trainer: TrainerView, _module: TrainerModule): void {
    if (this.loggingInterval === 'step') return;
    this.logStats(trainer, this.loggingInterval === undefined ? 'epoch' : 'any');
  }

  /**
   * The values due at `interval` (Lightning's `_extract_stats`): every scheduler whose interval matches (all of
   * them for `'any'`), and every optimizer that has no scheduler.
   */
  extractStats(trainer: Pick<TrainerView, 'optimizers' | 'lrSchedulers'>, interval: Interval): Record<string, number> {
    const stats: Record<string, number> = {};
    const scheduled = new Set<string>();
    for (const config of Object.values(trainer.lrSchedulers)) {
      scheduled.add(config.optimizerName);
      if (interval !== 'any' && config.interval !== interval) continue;
      const optimizer = trainer.optimizers[config.optimizerName];
      if (optimizer === undefined) continue;
      const base = config.name !== config.optimizerName ? config.name : lrKey(config.optimizerName, optimizer);
      Object.assign(stats, this.groupStats(optimizer, base));
    }
    for (const [name, optimizer] of Object.entries(trainer.optimizers)) {
      if (!scheduled.has(name)) Object.assign(stats, this.groupStats(optimizer, lrKey(name, optimizer)));
    }
    return stats;
  }

  private logStats(trainer: TrainerView, interval: Interval): void {
    const stats: Metrics = this.extractStats(trainer, interval);
    if (Object.keys(stats).length > 0) trainer.logMetrics(stats, trainer.globalStep);
  }

  private groupStats(optimizer: TrainerOptimizer, base: string): Record<string, number> {
    const stats: Record<string, number> = {};
    const groups = optimizer.paramGroups;
    groups.forEach((group, i) => {
      const key = groups.length > 1 ? `${base}/pg${i + 1}` : base;
      stats[key] = group.lr;
      if (this.logMomentum) stats[`${key}-momentum`] = group.betas?.[0] ?? group.momentum ?? 0;
      if (this.logWeightDecay) stats[`${key}-weight_decay`] = (group as { weightDecay?: number }).weightDecay ?? 0;
    });
    return stats;
  }
}

/** `lr-SGD` for kindling's single `default` optimizer (Lightning's `lr-<class>`), `lr-<name>` for named ones. */
function lrKey(optimizerName: string, optimizer: TrainerOptimizer): string {
  return `lr-${optimizerName === 'default' ? optimizer.constructor.name : optimizerName}`;
}

/**
 * Lightning's `should_update_logs`: the step about to be taken (`globalStep + 1`: this runs before the batch's
 * optimizer step) is a multiple of the trainer's `logEveryNSteps`, or training is stopping. So the monitor logs at
 * the same steps as the step metrics the trainer sends to the loggers.
 */
function shouldUpdateLogs(trainer: TrainerView): boolean {
  return (trainer.globalStep + 1) % trainer.logEveryNSteps === 0 || trainer.shouldStop;
}
