/** The components a checkpoint is dumped from and restored into (what the connector needs of the trainer). */
import type { Callback } from '../../components/callbacks/callback.js';
import type { TrainerLrScheduler, TrainerView } from '../../components/callbacks/trainer-view.js';
import type { DataModule } from '../../components/data/data-module.js';
import type { TrainerLoader } from '../loader.js';
import type { Precision } from '../../components/precision/precision.js';
import type { Loops } from '../loops/loop-state.js';
import type { GradientAccumulator } from '../run/gradient-accumulator.js';
import type { NormalizedOptimizerConfig, TrainableModule } from '../module-api.js';

export interface CheckpointParts {
  readonly view: TrainerView;
  readonly module: TrainableModule;
  readonly callbacks: readonly Callback[];
  readonly loops: Loops;
  readonly precision: Precision;
  readonly accumulator: GradientAccumulator;
  readonly optimizers: Readonly<Record<string, NormalizedOptimizerConfig>>;
  readonly schedulers: readonly TrainerLrScheduler[];
  readonly datamodule: DataModule | undefined;
  /**
   * Loaders given to the trainer directly (a datamodule's loaders travel in its own state). Only Stateful ones have a
   * position in checkpoints.
   */
  readonly loaders: Readonly<Record<string, TrainerLoader>>;
}

/** Sections a restore can skip: `fit(…, { ckptPath, restore: { optimizers: false } })`. All default to true. */
export interface RestoreSections {
  readonly module?: boolean;
  readonly datamodule?: boolean;
  readonly dataloaders?: boolean;
  readonly callbacks?: boolean;
  readonly precision?: boolean;
  /** The partial gradient sums of an accumulation window the checkpoint was saved inside. */
  readonly gradientAccumulator?: boolean;
  readonly loops?: boolean;
  readonly optimizers?: boolean;
  readonly lrSchedulers?: boolean;
  readonly rng?: boolean;
}
