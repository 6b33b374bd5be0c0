/**
 * What a callback sees of the trainer that drives it: the `trainer` argument of every {@link Callback} hook. The
 * `Trainer` (src/trainer) implements this interface; callbacks depend on it, never on the Trainer class, so that
 * components do not import the trainer (data flows state ← components ← trainer).
 *
 * Names follow Lightning's `Trainer` properties in camelCase (`current_epoch` → `currentEpoch`, …).
 *
 * Hooks may be async (return a promise): the trainer awaits a hook's promise at the end of the batch, validation or
 * epoch it ran in, before training changes any state, and a rejected promise fails the run there.
 */
import type { StateTree } from '../../checkpoint/types.js';
import type { Callback } from './callback.js';
import type { Precision } from '../precision/precision.js';
import type { LRScheduler } from '../schedulers/lr-scheduler.js';
import type { ParamGroupsHolder } from '../schedulers/param-groups.js';
import type { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau.js';

/**
 * The module a trainer trains, as hooks receive it: a kindling `Module`. Typed `unknown` here so that callbacks can be
 * exercised with stand-ins; a callback declares the parameter as `Module` (or its own subclass) in its override,
 * which TypeScript accepts for methods.
 */
export type TrainerModule = unknown;

/**
 * An optimizer as hooks and `trainer.optimizers` hand it out: a kindling `Optimizer`, typed by what schedulers and
 * callbacks read of it (its param groups), so that callbacks can be exercised with stand-ins.
 */
export type TrainerOptimizer = ParamGroupsHolder;

/** Lightning's `TrainerFn`: the entry point that is running. */
export type TrainerFn = 'fit' | 'validate' | 'test' | 'predict';

/** Lightning's `RunningStage`: what the trainer is doing right now. */
export type RunningStage = 'train' | 'sanityCheck' | 'validate' | 'test' | 'predict';

/** Lightning's `TrainerStatus`. */
export type TrainerStatus = 'initializing' | 'running' | 'finished' | 'interrupted';

/** Lightning's `trainer.state`. `fn` and `stage` are `undefined` outside an entry point. */
export interface TrainerState {
  readonly fn: TrainerFn | undefined;
  readonly stage: RunningStage | undefined;
  readonly status: TrainerStatus;
}

/** Logged values by key (`val_loss`, `train_loss_step`, `train_loss_epoch`, …), reduced to numbers. */
export type Metrics = Readonly<Record<string, number>>;

/** A learning-rate scheduler as the trainer runs it (the normalised `lrScheduler` of a `configureOptimizers` entry). */
export interface TrainerLrScheduler {
  readonly scheduler: LRScheduler | ReduceLROnPlateau;
  /** When the scheduler steps: after every optimizer step (`'step'`) or every training epoch (`'epoch'`, default). */
  readonly interval: 'epoch' | 'step';
  /** Steps every `frequency` intervals (default 1). */
  readonly frequency: number;
  /** The metric a ReduceLROnPlateau reads from {@link TrainerView.callbackMetrics}. */
  readonly monitor: string | undefined;
  /** The scheduler's name: its key in the checkpoint's `lrSchedulers` section (the optimizer's name by default). */
  readonly name: string;
  /** The name of the optimizer whose param groups it drives (a key of {@link TrainerView.optimizers}). */
  readonly optimizerName: string;
}

export interface SaveCheckpointOptions {
  /** Leave out callbacks, optimizers, schedulers and precision (the file can load weights, not resume). */
  readonly weightsOnly?: boolean;
}

export interface TrainerView {
  /** The epoch the fit loop is in (completed epochs), as Lightning's `current_epoch`. */
  readonly currentEpoch: number;
  /** The number of optimizer steps taken (Lightning's `global_step`). */
  readonly globalStep: number;
  /** `undefined` when unlimited (no `maxEpochs` and `maxSteps` given: Lightning's default of 1000 epochs applies). */
  readonly maxEpochs: number | undefined;
  /** -1 when unlimited, as in Lightning. */
  readonly maxSteps: number;
  readonly minEpochs: number | undefined;

  /** The metrics callbacks monitor: the latest value of every logged key (step and epoch forms). */
  readonly callbackMetrics: Metrics;
  /** The metrics sent to the loggers. */
  readonly loggedMetrics: Metrics;
  /** The metrics logged with `progBar: true`. */
  readonly progressBarMetrics: Metrics;

  /** Set it to stop `fit` at the end of the current step or epoch (Lightning's `should_stop`, with `minEpochs`). */
  shouldStop: boolean;
  readonly state: TrainerState;
  /** `state.stage === 'sanityCheck'`: the validation steps that run before training starts. */
  readonly sanityChecking: boolean;

  /** The checkpoint the running entry point restored from (`undefined` when it started fresh). */
  readonly ckptPath: string | undefined;
  /** The trainer's root directory (`defaultRootDir`, the working directory by default). */
  readonly defaultRootDir: string;
  /** Where loggers and checkpoints go: the first logger's version directory, else `defaultRootDir`. */
  readonly logDir: string;

  /** The optimizers of `configureOptimizers`, by name (`'default'` when there is one). */
  readonly optimizers: Readonly<Record<string, TrainerOptimizer>>;
  /** The learning-rate schedulers, by name. */
  readonly lrSchedulers: Readonly<Record<string, TrainerLrScheduler>>;
  readonly precision: Precision;
  readonly accumulateGradBatches: number;
  /**
   * Step values go to the loggers every this many optimizer steps (Lightning's `log_every_n_steps`); a callback that
   * logs per step (LearningRateMonitor) follows it too.
   */
  readonly logEveryNSteps: number;
  /** The loggers `logMetrics` sends to, by name and version (empty with no `logger` option, the default). */
  readonly loggers: readonly { readonly name: string; readonly version: number | string }[];

  /** Batches per training epoch after `limitTrainBatches` (`Infinity` for a loader without a length). */
  readonly numTrainingBatches: number;
  /** Batches per validation run of each validation loader, after `limitValBatches`. */
  readonly numValBatches: readonly number[];
  /** Validation runs after every `valCheckBatch` training batches. */
  readonly valCheckBatch: number;
  /** Validation runs in every `checkValEveryNEpoch`-th epoch (`undefined` when only `valCheckInterval` counts). */
  readonly checkValEveryNEpoch: number | undefined;
  /** Whether the training batch being processed is the last of its epoch. */
  readonly isLastBatch: boolean;

  /** The trainer's callbacks, in the order hooks run (ModelCheckpoint-like callbacks last, as in Lightning). */
  readonly callbacks: readonly Callback[];

  /** Sends metrics to every logger (what a callback such as LearningRateMonitor uses to record values). */
  logMetrics(metrics: Metrics, step: number): void;

  /** The checkpoint as it would be saved now: the trainer's layout, tensors shared with the live components. */
  dumpCheckpoint(options?: SaveCheckpointOptions): StateTree;
  /**
   * Takes the checkpoint now (a snapshot) and writes it atomically to `path`, resolving when the file is complete.
   * Hooks are synchronous: a callback may call it without awaiting; the trainer waits for pending writes at the end
   * of the batch, validation or epoch, and a failed write fails the run there. Chain work that needs the file (such as
   * deleting an older checkpoint) on the returned promise.
   */
  saveCheckpoint(path: string, options?: SaveCheckpointOptions): Promise<void>;
}
