/**
 * Lightning's EMAWeightAveraging: keeps an exponential moving average of the module's parameters,
 * `ema ← lerp(ema, current, 1 - decay)` (torch's `get_ema_multi_avg_fn`; the first update copies the weights), and
 * uses it for validation and at the end of training.
 *
 * - Updates after every `updateEveryNSteps` optimizer steps from `updateStartingAtStep` on, and/or at the end of
 *   every epoch from `updateStartingAtEpoch` on (Lightning's `should_update`).
 * - Validation runs with the averaged weights (swapped in at `onValidationEpochStart`, back at its end); when
 *   training ends the module keeps the averaged weights.
 * - **Checkpoints hold both**, through the global hooks, as Lightning's WeightAveraging: the `module` section gets
 *   the averaged weights (a file that loads into a module for inference is the averaged model), and
 *   `currentModelState` the weights training continues from. On restore the module gets `currentModelState` back
 *   and the average is taken from `module`. A checkpoint written without this callback initialises both from
 *   `module`, with a warning.
 * - Only parameters are averaged; buffers are the module's own (Lightning's `use_buffers=True` also averages
 *   floating-point buffers, which kindling's layers do not have yet).
 * - Own state: `latestUpdateStep`, `latestUpdateEpoch`, `nAveraged`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { isTensor, type Tensor } from '../../state/tensor.js';
import { persist, stateful } from '../../state/index.js';
import { fromTfTensor, toTfTensor } from '../engine/convert.js';
import type { Module } from '../nn/module.js';
import type { CheckpointContents } from '../precision/precision.js';
import { Callback } from './callback.js';
import { EMAWeightAveragingState } from './ema-weight-averaging.state.generated.js';
import { CallbackConfigError } from './errors.js';
import type { TrainerModule, TrainerView } from './trainer-view.js';

export interface EMAWeightAveragingOptions {
  /** The weight of the old average (default 0.999). */
  readonly decay?: number;
  /** Update after every N optimizer steps (default 1; 0: never by steps). */
  readonly updateEveryNSteps?: number;
  /** Update by steps only from this step on (default: from the first). */
  readonly updateStartingAtStep?: number;
  /** Also update at the end of every epoch from this one on (default: never by epochs). */
  readonly updateStartingAtEpoch?: number;
}

/** The checkpoint key of the weights training continues from (Lightning: `current_model_state`). */
export const CURRENT_MODEL_STATE_KEY = 'currentModelState';
/** The checkpoint key of averaged parameters that the `module` section does not hold. */
export const AVERAGED_WEIGHTS_KEY = 'averagedWeights';

@stateful(EMAWeightAveragingState)
export class EMAWeightAveraging extends Callback {
  /** The global step of the last update by steps (-1: none). */
  @persist() latestUpdateStep = -1;
  /** The epoch of the last update by epochs (-1: none). */
  @persist() latestUpdateEpoch = -1;
  /** Updates so far (torch AveragedModel's `n_averaged`); 0 means the next update copies the weights. */
  @persist() nAveraged = 0;

  readonly decay: number;
  readonly updateEveryNSteps: number;
  readonly updateStartingAtStep: number | undefined;
  readonly updateStartingAtEpoch: number | undefined;
  /** The averaged parameters by dotted name (tfjs tensors kept across steps). */
  private averaged = new Map<string, tf.Tensor>();
  private swapped: Map<string, tf.Tensor> | undefined;

  constructor(options: EMAWeightAveragingOptions = {}) {
    super();
    this.decay = options.decay ?? 0.999;
    if (!(this.decay >= 0 && this.decay <= 1)) throw new CallbackConfigError(`EMAWeightAveraging: decay must be in [0, 1], got ${this.decay}`);
    this.updateEveryNSteps = options.updateEveryNSteps ?? 1;
    if (!Number.isInteger(this.updateEveryNSteps) || this.updateEveryNSteps < 0) {
      throw new CallbackConfigError(`EMAWeightAveraging: updateEveryNSteps must be an integer ≥ 0, got ${this.updateEveryNSteps}`);
    }
    this.updateStartingAtStep = options.updateStartingAtStep;
    this.updateStartingAtEpoch = options.updateStartingAtEpoch;
  }

  /** Lightning's `should_update`. */
  shouldUpdate(at: { step?: number; epoch?: number }): boolean {
    if (at.step !== undefined) {
      const started = this.updateStartingAtStep === undefined || at.step >= this.updateStartingAtStep;
      if (started && this.updateEveryNSteps > 0 && at.step % this.updateEveryNSteps === 0) return true;
    }
    return at.epoch !== undefined && this.updateStartingAtEpoch !== undefined && at.epoch >= this.updateStartingAtEpoch;
  }

  /** The averaged value of parameter `name` (a copy the caller disposes), or undefined before setup. */
  averagedValue(name: string): tf.Tensor | undefined {
    const value = this.averaged.get(name);
    return value === undefined ? undefined : value.clone();
  }

  /** One update from the module's current parameters (the first copies them). */
  update(module: Module): void {
    const weight = Math.fround(1 - this.decay);
    for (const [name, parameter] of module.namedParameters()) {
      const current = parameter.variable;
      const previous = this.averaged.get(name);
      const next = tf.tidy(() => (previous === undefined || this.nAveraged === 0 ? current.clone() : lerp(previous, current, weight)));
      previous?.dispose();
      this.averaged.set(name, tf.keep(next));
    }
    this.nAveraged += 1;
  }

  override setup(_trainer: TrainerView, module: TrainerModule): void {
    if (this.averaged.size === 0) this.copyFrom(asModule(module));
  }

  override onTrainBatchEnd(trainer: TrainerView, module: TrainerModule): void {
    if (trainer.globalStep > this.latestUpdateStep && this.shouldUpdate({ step: trainer.globalStep - 1 })) {
      this.update(asModule(module));
      this.latestUpdateStep = trainer.globalStep;
    }
  }

  override onTrainEpochEnd(trainer: TrainerView, module: TrainerModule): void {
    if (trainer.currentEpoch > this.latestUpdateEpoch && this.shouldUpdate({ epoch: trainer.currentEpoch })) {
      this.update(asModule(module));
      this.latestUpdateEpoch = trainer.currentEpoch;
    }
  }

  override onTrainEnd(_trainer: TrainerView, module: TrainerModule): void {
    for (const [name, parameter] of asModule(module).namedParameters()) {
      const value = this.averaged.get(name);
      if (value !== undefined) parameter.assign(value, name);
    }
  }

  override onValidationEpochStart(trainer: TrainerView, module: TrainerModule): void {
    if (trainer.state.fn === 'fit' && this.swapped === undefined) this.swapIn(asModule(module));
  }

  override onValidationEpochEnd(_trainer: TrainerView, module: TrainerModule): void {
    if (this.swapped !== undefined) this.swapOut(asModule(module));
  }

  /**
   * `module` ← averaged weights, `currentModelState` ← the weights as dumped. Averaged parameters the `module`
   * section does not hold (a module whose state has no tensor at that dotted path) go to `averagedWeights`, by name.
   */
  override onSaveCheckpoint(_trainer: TrainerView, _module: TrainerModule, checkpoint: CheckpointContents): void {
    if (this.averaged.size === 0) {
      throw new CallbackConfigError('EMAWeightAveraging: a checkpoint is being saved before setup created the averaged weights');
    }
    const current = checkpoint['module'];
    const placed = new Set<string>();
    checkpoint[CURRENT_MODEL_STATE_KEY] = current;
    checkpoint['module'] = replaceWeights(current, (name) => {
      const value = this.averaged.get(name);
      if (value === undefined) return undefined;
      placed.add(name);
      return fromTfTensor(value, name);
    });
    const rest: Record<string, Tensor> = {};
    for (const [name, value] of this.averaged) if (!placed.has(name)) rest[name] = fromTfTensor(value, name);
    if (Object.keys(rest).length > 0) checkpoint[AVERAGED_WEIGHTS_KEY] = rest;
  }

  /**
   * The module continues from `currentModelState`; the average comes from `module` (and `averagedWeights`). Every
   * averaged parameter is found before anything changes.
   */
  override onLoadCheckpoint(_trainer: TrainerView, module: TrainerModule, checkpoint: CheckpointContents): void {
    const live = asModule(module);
    const current = checkpoint[CURRENT_MODEL_STATE_KEY];
    if (current === undefined) {
      process.emitWarning(
        'EMAWeightAveraging: the checkpoint was not written with EMAWeightAveraging; the average starts from its module weights',
        { code: 'KINDLING_EMA_NOT_IN_CHECKPOINT' },
      );
      this.copyFrom(live);
      return;
    }
    const values = new Map<string, Tensor>();
    replaceWeights(checkpoint['module'], (name, value) => {
      values.set(name, value);
      return value;
    });
    const rest = checkpoint[AVERAGED_WEIGHTS_KEY];
    if (rest !== undefined && rest !== null && typeof rest === 'object') {
      for (const [name, value] of Object.entries(rest)) if (isTensor(value)) values.set(name, value);
    }
    const names = live.namedParameters().map(([name]) => name);
    const missing = names.filter((name) => !values.has(name));
    if (missing.length > 0) {
      throw new CallbackConfigError(`EMAWeightAveraging: the checkpoint has no averaged weights for ${missing.join(', ')}; was it written with another model?`);
    }
    live.loadStateDict(current as never);
    for (const name of names) {
      this.averaged.get(name)?.dispose();
      this.averaged.set(name, tf.keep(toTfTensor(values.get(name)!, name)));
    }
  }

  /** Releases the averaged weights. */
  dispose(): void {
    for (const value of this.averaged.values()) value.dispose();
    this.averaged.clear();
  }

  private copyFrom(module: Module): void {
    for (const [name, parameter] of module.namedParameters()) {
      this.averaged.get(name)?.dispose();
      this.averaged.set(name, tf.keep(parameter.variable.clone()));
    }
  }

  private swapIn(module: Module): void {
    const saved = new Map<string, tf.Tensor>();
    for (const [name, parameter] of module.namedParameters()) {
      const value = this.averaged.get(name);
      if (value === undefined) continue;
      saved.set(name, tf.keep(parameter.variable.clone()));
      parameter.assign(value, name);
    }
    this.swapped = saved;
  }

  private swapOut(module: Module): void {
    const saved = this.swapped!;
    for (const [name, parameter] of module.namedParameters()) {
      const value = saved.get(name);
      if (value === undefined) continue;
      parameter.assign(value, name);
      value.dispose();
    }
    this.swapped = undefined;
  }

}

/**
 * A copy of a module state tree with each tensor at dotted path `name` replaced by `replace(name, tensor)` (kept when
 * it returns undefined). The module state nests like the dotted names (`fc1.weight` is `fc1` → `weight`).
 */
function replaceWeights(tree: unknown, replace: (name: string, value: Tensor) => Tensor | undefined): unknown {
  const walk = (value: unknown, name: string): unknown => {
    if (isTensor(value)) return replace(name, value) ?? value;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, name === '' ? String(i) : `${name}.${i}`));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, name === '' ? k : `${name}.${k}`)]));
    }
    return value;
  };
  return walk(tree, '');
}

/** torch's `lerp(start, end, weight)` kernel, both branches, so float32 results match torch's. */
function lerp(start: tf.Tensor, end: tf.Tensor, weight: number): tf.Tensor {
  if (Math.abs(weight) < 0.5) return tf.add(start, tf.mul(tf.sub(end, start), tf.scalar(weight, 'float32')));
  return tf.sub(end, tf.mul(tf.sub(end, start), tf.scalar(Math.fround(1 - weight), 'float32')));
}

function asModule(module: TrainerModule): Module {
  const candidate = module as Partial<Module> | null;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.namedParameters !== 'function') {
    throw new CallbackConfigError('EMAWeightAveraging needs a kindling Module (with namedParameters())');
  }
  return module as Module;
}
