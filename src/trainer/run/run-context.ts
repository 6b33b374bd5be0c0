/**
 * What the loops need of the trainer while an entry point runs: the trainer's internals, gathered in one object so
 * that the loop files (fit, training batch, evaluation) do not reach into the Trainer class.
 */
import type { Callback } from '../../components/callbacks/callback.js';
import type { RunningStage, TrainerLrScheduler, TrainerView } from '../../components/callbacks/trainer-view.js';
import type { DataModule } from '../../components/data/data-module.js';
import type { TrainerLoader } from '../loader.js';
import type { Precision } from '../../components/precision/precision.js';
import type { HookDispatcher } from '../hooks.js';
import type { LoggerConnector } from '../logging/logger-connector.js';
import type { LogContext, ResultCollection } from '../logging/results.js';
import type { Loops } from '../loops/loop-state.js';
import type { GradientAccumulator } from './gradient-accumulator.js';
import type { NormalizedOptimizerConfig, TrainableModule } from '../module-api.js';
import type { ResolvedOptions } from '../options.js';

export interface RunContext {
  readonly view: TrainerView;
  readonly options: ResolvedOptions;
  readonly module: TrainableModule;
  readonly callbacks: readonly Callback[];
  readonly hooks: HookDispatcher;
  readonly loops: Loops;
  /** The gradients summed so far in the current accumulation window (checkpointed). */
  readonly accumulator: GradientAccumulator;
  readonly precision: Precision;
  readonly logging: LoggerConnector;
  readonly trainResults: ResultCollection;
  readonly evalResults: ResultCollection;
  readonly datamodule: DataModule | undefined;
  /** The optimizers by name (empty outside `fit`). */
  readonly optimizers: Readonly<Record<string, NormalizedOptimizerConfig>>;
  readonly schedulers: readonly TrainerLrScheduler[];
  /** Loaders by name: `train`, `val` / `val.<key>`, `test…`, `predict…`. */
  readonly loaders: Readonly<Record<string, TrainerLoader>>;
  setStage(stage: RunningStage | undefined): void;
  setLogContext(context: LogContext | undefined): void;
  /** Waits for the checkpoint writes hooks started (`trainer.saveCheckpoint` without await); throws a failed one. */
  flushSaves(): Promise<void>;
  /** Batches per training epoch after the limit. */
  numTrainingBatches: number;
  numValBatches: number[];
  valCheckBatch: number;
  isLastBatch: boolean;
}

/** The loaders of one kind, in name order (`val`, or `val.a`, `val.b`). */
export function loadersOf(ctx: RunContext, kind: 'train' | 'val' | 'test' | 'predict'): TrainerLoader[] {
  return Object.keys(ctx.loaders)
    .filter((name) => name === kind || name.startsWith(`${kind}.`))
    .map((name) => ctx.loaders[name]!);
}
