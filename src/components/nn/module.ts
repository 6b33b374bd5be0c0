/**
 * `Module`, kindling's LightningModule: a model (its parameters, buffers and submodules are fields) plus what a
 * trainer calls on it (the steps, `configureOptimizers`, `log`, the hooks). A layer is a Module too; it simply does
 * not implement the steps.
 *
 * Members are found by walking fields (module-tree.ts), so the dotted names `fc1.weight`, `layers.0.bias` are
 * torch's `state_dict()` keys for the same structure. The module's own generated state is empty; subclasses add
 * their `@persist` fields (parameters, submodules) and `@stateful(XState)`, giving `XState = ModuleState & { … }`.
 * The batch parameters are typed `unknown`; a subclass declares its own batch type on its methods
 * (`trainingStep(batch: [tf.Tensor2D, tf.Tensor1D], batchIdx: number)`), which TypeScript accepts for methods. The class
 * is not generic because codegen gives a generic class no single state type (KC1013).
 * `hparams` is plain data the trainer saves beside the state (under `hparams`), not part of it; `training` is not
 * state either (as in torch).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../state/index.js';
import type { HParamValue } from '../data/data-module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { directMembers } from './module-tree.js';
import type { CheckpointContents, LogOptions, ModuleTrainerLink, OptimizersConfig, Stage, StepOutput } from './module-types.js';
import { ModuleState } from './module.state.generated.js';
import type { Buffer, Parameter } from './parameter.js';

function isModule(value: unknown): value is Module {
  return value instanceof Module;
}

@stateful(ModuleState)
export abstract class Module {
  /** Whether the module is in training mode (dropout active); set by {@link train} / {@link eval}. */
  training = true;
  /** Plain-data hyperparameters, saved with checkpoints under `hparams` (not part of the module's state). */
  hparams: Record<string, HParamValue> = {};
  #trainer: ModuleTrainerLink | undefined;

  // ----- structure -----

  /** Direct submodules with their names (`fc1`, `layers.0`). */
  namedChildren(): [string, Module][] {
    return directMembers<Module>(this, isModule).flatMap((m) => (m.kind === 'module' ? [[m.name, m.value] as [string, Module]] : []));
  }

  /** This module (named `''`, or `prefix`) and every submodule, depth first, each once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (name: string, module: Module): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [child, m] of module.namedChildren()) walk(name === '' ? child : `${name}.${child}`, m);
    };
    walk(prefix, this);
    return out;
  }

  /** Every parameter with its dotted name (`fc1.weight`), each parameter once (torch's `named_parameters()`). */
  namedParameters(): [string, Parameter][] {
    return this.namedTensors('parameter') as [string, Parameter][];
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name (torch's `named_buffers()`). */
  namedBuffers(): [string, Buffer][] {
    return this.namedTensors('buffer') as [string, Buffer][];
  }

  /** The tfjs variables of the trainable parameters, what `tf.variableGrads` differentiates. */
  trainableVariables(): tf.Variable[] {
    return this.parameters()
      .filter((p) => p.trainable)
      .map((p) => p.variable);
  }

  private namedTensors(kind: 'parameter' | 'buffer'): [string, Parameter | Buffer][] {
    const out: [string, Parameter | Buffer][] = [];
    const seen = new Set<Parameter | Buffer>();
    for (const [prefix, module] of this.namedModules()) {
      for (const m of directMembers<Module>(module, isModule)) {
        if (m.kind !== kind || seen.has(m.value)) continue;
        seen.add(m.value);
        out.push([prefix === '' ? m.name : `${prefix}.${m.name}`, m.value]);
      }
    }
    return out;
  }

  // ----- modes -----

  /** Sets training mode on this module and every submodule (torch's `train(mode)`); returns this module. */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout passes its input through. */
  eval(): this {
    return this.train(false);
  }

  /** Makes every parameter non-trainable and sets evaluation mode (Lightning's `freeze()`). */
  freeze(): this {
    for (const p of this.parameters()) p.trainable = false;
    return this.eval();
  }

  /** Makes every parameter trainable and sets training mode (Lightning's `unfreeze()`). */
  unfreeze(): this {
    for (const p of this.parameters()) p.trainable = true;
    return this.train();
  }

  /** Releases the memory of every parameter and buffer. */
  dispose(): void {
    for (const [, p] of this.namedParameters()) p.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }

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
