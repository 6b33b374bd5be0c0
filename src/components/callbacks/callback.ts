/**
 * The base class of every callback. A callback is a component: subclasses declare their state with `@persist` fields
 * and `@stateful(XState)` like any other, and the trainer saves each callback's state in the checkpoint's `callbacks`
 * section under its {@link Callback.stateKey}. The hooks are Lightning's, in camelCase, each called with the
 * {@link TrainerView} and the module first; all of them do nothing by default.
 *
 * The order in which the trainer calls them is Lightning's (docs/resume-training.md lists it): `setup`, `onFitStart`,
 * `onSanityCheckStart`/`End`, `onTrainStart`, `onTrainEpochStart`, `onTrainBatchStart`, `onBeforeZeroGrad`,
 * `onBeforeBackward`, `onAfterBackward`, `onBeforeOptimizerStep`, `onTrainBatchEnd`, the validation hooks,
 * `onTrainEpochEnd`, `onTrainEnd`, `onFitEnd`, `teardown`.
 */
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { stateful } from '../../state/decorators.js';
import type { Stage } from '../data/data-module.js';
import type { CheckpointContents } from '../precision/precision.js';
import { CallbackState } from './callback.state.generated.js';
import type { TrainerModule, TrainerOptimizer, TrainerView } from './trainer-view.js';

/** A value of {@link Callback.stateIdentity}: constructor arguments that tell two instances of a class apart. */
export type StateIdentityValue = string | number | boolean | null;

/** The arguments that define which saved state belongs to a callback (see {@link Callback.stateIdentity}). */
export type StateIdentity = Readonly<Record<string, StateIdentityValue>>;

/** See {@link Callback.hookOrder}. */
export type CallbackHookOrder = 'default' | 'monitoring' | 'checkpoint';

@stateful(CallbackState)
export abstract class Callback {
  /**
   * Where this callback's state lives in a checkpoint: the class name, followed by the arguments of
   * {@link stateIdentity} as JSON when there are any, e.g. `EarlyStopping{"monitor":"val_loss","mode":"min"}`
   * (Lightning's `state_key` with JSON in place of Python's repr). Two callbacks of one class with the same key would
   * overwrite each other's state; the trainer refuses them.
   */
  get stateKey(): string {
    const identity = this.stateIdentity();
    const entries = Object.entries(identity);
    if (entries.length === 0) return this.constructor.name;
    for (const [name, value] of entries) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new TypeError(`${this.constructor.name}.stateIdentity().${name} is ${value}; identity values must be finite numbers, strings, booleans or null`);
      }
    }
    return `${this.constructor.name}${JSON.stringify(identity)}`;
  }

  /**
   * The constructor arguments that must match for a saved state to be meaningful for this instance (`monitor` and
   * `mode` for early stopping), in a fixed order. Leave out what a user may change when resuming (`patience`,
   * `verbose`): changing an identity argument starts the callback from a fresh state. Default: none, so the key is the
   * class name. A subclass of a subclass extends its parent's: `{ ...super.stateIdentity(), window: this.window }`.
   */
  protected stateIdentity(): StateIdentity {
    return {};
  }

  /**
   * Where the trainer runs this callback's hooks. `'checkpoint'` callbacks (ModelCheckpoint) run after every other
   * callback, so they save what the others have just updated; `'monitoring'` ones (EarlyStopping), like checkpoint
   * ones, see `onTrainEpochEnd` after the module's hook, so that they find what the module logged there (Lightning's
   * `_reorder_callbacks` and `monitoring_callbacks`). Default `'default'`.
   */
  get hookOrder(): CallbackHookOrder {
    return 'default';
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------------

  /** At the start of every entry point, before the module's `setup`; the checkpoint's module state is already loaded. */
  setup(_trainer: TrainerView, _module: TrainerModule, _stage: Stage): void {}
  /** At the end of every entry point, also when it fails. */
  teardown(_trainer: TrainerView, _module: TrainerModule, _stage: Stage): void {}
  /** When an entry point fails, before `teardown`, with what it threw. */
  onException(_trainer: TrainerView, _module: TrainerModule, _error: unknown): void {}

  onFitStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onFitEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onSanityCheckStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onSanityCheckEnd(_trainer: TrainerView, _module: TrainerModule): void {}

  // ---- training --------------------------------------------------------------------------------------------------

  onTrainStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onTrainEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onTrainEpochStart(_trainer: TrainerView, _module: TrainerModule): void {}
  /** After the epoch's last batch and, when validation runs at the epoch's end, after that validation. */
  onTrainEpochEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onTrainBatchStart(_trainer: TrainerView, _module: TrainerModule, _batch: unknown, _batchIdx: number): void {}
  /** `outputs` is what `trainingStep` returned (`{ loss }` when it returned a scalar); its tensors are disposed after the hook. */
  onTrainBatchEnd(_trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, _batchIdx: number): void {}
  /** With the loss about to be differentiated (scaled by the precision plugin, divided by `accumulateGradBatches`). */
  onBeforeBackward(_trainer: TrainerView, _module: TrainerModule, _loss: TfTensor): void {}
  onAfterBackward(_trainer: TrainerView, _module: TrainerModule): void {}
  /** Before the optimizer steps, after gradients were unscaled and before they are clipped (as in Lightning). */
  onBeforeOptimizerStep(_trainer: TrainerView, _module: TrainerModule, _optimizer: TrainerOptimizer, _name: string): void {}
  /** Before the accumulated gradients are discarded: after `trainingStep` on the first batch of an accumulation window. */
  onBeforeZeroGrad(_trainer: TrainerView, _module: TrainerModule, _optimizer: TrainerOptimizer): void {}

  // ---- validation, test, predict ---------------------------------------------------------------------------------

  onValidationStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onValidationEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onValidationEpochStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onValidationEpochEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onValidationBatchStart(_trainer: TrainerView, _module: TrainerModule, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onValidationBatchEnd(_trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}

  onTestStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onTestEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onTestEpochStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onTestEpochEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onTestBatchStart(_trainer: TrainerView, _module: TrainerModule, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onTestBatchEnd(_trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}

  onPredictStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onPredictEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onPredictEpochStart(_trainer: TrainerView, _module: TrainerModule): void {}
  onPredictEpochEnd(_trainer: TrainerView, _module: TrainerModule): void {}
  onPredictBatchStart(_trainer: TrainerView, _module: TrainerModule, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}
  onPredictBatchEnd(_trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, _batchIdx: number, _dataloaderIdx: number): void {}

  // ---- checkpoints -----------------------------------------------------------------------------------------------

  /**
   * The global save hook: called after every component's state is in `checkpoint` (the whole checkpoint, the trainer's
   * layout), so a callback may read it or add top-level keys. It returns nothing; a callback's own state is its
   * `stateDict()`. (A value returned here is the pre-`stateDict` API: the trainer stores it as the callback's state,
   * with a deprecation warning.)
   */
  onSaveCheckpoint(_trainer: TrainerView, _module: TrainerModule, _checkpoint: CheckpointContents): void {}

  /**
   * The global load hook: called with the whole checkpoint before any callback's `loadStateDict`, during the first
   * restore phase (after the module's weights are loaded).
   */
  onLoadCheckpoint(_trainer: TrainerView, _module: TrainerModule, _checkpoint: CheckpointContents): void {}
}
