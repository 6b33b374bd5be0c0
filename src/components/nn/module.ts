/**
 * `Module`, kindling's LightningModule: a model (its parameters, buffers and submodules are fields) plus what a
 * trainer calls on it (the steps, `configureOptimizers`, `log`, the hooks).
 *
 * Its structure (parameters, buffers, submodules with torch's dotted names, `train`/`eval`, `freeze`) is
 * {@link Layer}'s. Its own generated state is empty; subclasses add their `@persist` fields (parameters, submodules)
 * and `@stateful(XState)`, giving `XState = ModuleState & { … }`.
 *
 * The batch parameters are typed `unknown`; a subclass declares its own batch type on its methods
 * (`trainingStep(batch: [tf.Tensor2D, tf.Tensor1D], batchIdx: number)`), which TypeScript accepts for methods. The class
 * is not generic because codegen gives a generic class no single state type (KC1013).
 *
 * `hparams` is plain data the trainer saves beside the state (under `hparams`), not part of it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../state/index.js';
import type { HParamValue } from '../data/data-module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { Layer } from './layer.js';
import type { CheckpointContents, LogOptions, ModuleTrainerLink, OptimizersConfig, Stage, StepOutput } from './module-types.js';
import { ModuleState } from './module.state.generated.js';

@stateful(ModuleState)
export abstract class Module extends Layer {
  /** Plain-data hyperparameters, saved with checkpoints under `hparams` (not part of the module's state). */
  hparams: Record<string, HParamValue> = {};
  #trainer: ModuleTrainerLink | undefined;

  // ----- what the trainer calls -----

  /** One training step: the loss, or `{ loss, … }`. Synchronous: the trainer runs it inside `tf.variableGrads`. */
  abstract trainingStep(batch: unknown, batchIdx: number): StepOutput;
  validationStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): StepOutput | void;
  testStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): StepOutput | void;
  predictStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): unknown;

  /** The optimizers (and their LR schedulers) to train with; normalize with `normalizeOptimizers`. */
  abstract configureOptimizers(): OptimizersConfig;

  /** Connects the module to the trainer driving it (or disconnects it, with `undefined`). */
  attachTrainer(link: ModuleTrainerLink | undefined): void {
    this.#trainer = link;
  }

  /** The attached trainer's view, if any. */
  get trainerLink(): ModuleTrainerLink | undefined {
    return this.#trainer;
  }

  /**
   * Records a metric with the attached trainer (Lightning's `self.log`). A tensor is read synchronously, so the
   * caller may dispose it afterwards. Without a trainer (a loop written by hand) nothing is recorded.
   */
  log(name: string, value: number | tf.Tensor, options: LogOptions = {}): void {
    this.#trainer?.log(name, value, options);
  }

  // ----- global checkpoint hooks -----

  /** Called when a checkpoint is saved, with its contents, which the hook may read or extend. */
  onSaveCheckpoint(_checkpoint: CheckpointContents): void {}

  /** Called when a checkpoint is loaded, with its contents, before components load their state. */
  onLoadCheckpoint(_checkpoint: CheckpointContents): void {}

  // ----- lifecycle hooks (no-ops by default) -----

  setup(_stage: Stage): void | Promise<void> {}
  teardown(_stage: Stage): void | Promise<void> {}
  onFitStart(): void {}
  onFitEnd(): void {}
  onTrainStart(): void {}
  onTrainEnd(): void {}
  onTrainEpochStart(): void {}
  onTrainEpochEnd(): void {}
  onTrainBatchStart(_batch: unknown, _batchIdx: number): void {}
  onTrainBatchEnd(_outputs: StepOutput, _batch: unknown, _batchIdx: number): void {}
  onValidationStart(): void {}
  onValidationEnd(): void {}
  onValidationEpochStart(): void {}
  onValidationEpochEnd(): void {}
  onValidationBatchStart(_batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onValidationBatchEnd(_outputs: StepOutput | void, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onTestStart(): void {}
  onTestEnd(): void {}
  onTestEpochStart(): void {}
  onTestEpochEnd(): void {}
  onTestBatchStart(_batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onTestBatchEnd(_outputs: StepOutput | void, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onPredictStart(): void {}
  onPredictEnd(): void {}
  onPredictEpochStart(): void {}
  onPredictEpochEnd(): void {}
  onPredictBatchStart(_batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onPredictBatchEnd(_outputs: unknown, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onBeforeBackward(_loss: tf.Scalar): void {}
  onAfterBackward(): void {}
  onBeforeOptimizerStep(_optimizer: Optimizer, _name: string): void {}
  onBeforeZeroGrad(_optimizer: Optimizer): void {}
}
