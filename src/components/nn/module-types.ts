/**
 * The types a {@link Module} shares with whatever drives it (the trainer, or a loop written by hand). Nothing here
 * imports the trainer: a module sees it only through {@link ModuleTrainerLink}.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '../optim/optimizer.js';
import type { LRScheduler } from '../schedulers/lr-scheduler.js';
import type { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau.js';

export type { CheckpointContents } from '../precision/precision.js';

/** What `trainingStep` (and the other steps) return: the loss, or an object holding it under `loss`. */
export type StepOutput = tf.Scalar | { loss: tf.Scalar; [key: string]: unknown };

/** Lightning's `self.log` options, in camelCase. */
export interface LogOptions {
  onStep?: boolean;
  onEpoch?: boolean;
  progBar?: boolean;
  logger?: boolean;
  reduceFx?: 'mean' | 'sum' | 'max' | 'min';
}

/** What a Module sees of the trainer driving it (set by the trainer with `module.attachTrainer(link)`). */
export interface ModuleTrainerLink {
  /** Records a metric; reads a tensor value synchronously, so the caller may dispose it afterwards. */
  log(name: string, value: number | tf.Tensor, options: LogOptions): void;
  readonly currentEpoch: number;
  readonly globalStep: number;
}

/** An LR scheduler with Lightning's scheduling options (`interval` 'epoch' and `frequency` 1 by default). */
export interface LrSchedulerConfig {
  scheduler: LRScheduler | ReduceLROnPlateau;
  interval?: 'epoch' | 'step';
  frequency?: number;
  /** The metric ReduceLROnPlateau reads. */
  monitor?: string;
  name?: string;
}

export interface OptimizerConfig {
  optimizer: Optimizer;
  lrScheduler?: LrSchedulerConfig | LRScheduler;
}

/** What `configureOptimizers` returns. A single optimizer / config is named 'default'. */
export type OptimizersConfig = Optimizer | OptimizerConfig | Record<string, OptimizerConfig>;

/** An LR scheduler config with every option filled in. */
export interface NormalizedLrSchedulerConfig {
  scheduler: LRScheduler | ReduceLROnPlateau;
  interval: 'epoch' | 'step';
  frequency: number;
  monitor: string | undefined;
  name: string | undefined;
}

/** An optimizer config as the trainer consumes it. */
export interface NormalizedOptimizerConfig {
  optimizer: Optimizer;
  lrScheduler: NormalizedLrSchedulerConfig | undefined;
}

/** Stages a module is set up and torn down for, as Lightning's `stage`. */
export type { Stage } from '../data/data-module.js';
