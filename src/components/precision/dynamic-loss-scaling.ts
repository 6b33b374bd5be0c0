/**
 * torch's GradScaler algorithm (dynamic loss scaling), with the same defaults and state.
 *
 * The loss is multiplied by `scale` (initially 2¹⁶) before backpropagation and the gradients divided by it again
 * (multiplied by float32(1/scale), as torch does). A step whose scaled gradients hold a NaN or an infinity is skipped,
 * so the parameters and the optimizer state stay as they were, and the scale is multiplied by `backoffFactor` (0.5);
 * after `growthInterval` (2000) steps in a row with finite gradients it is multiplied by `growthFactor` (2), unless
 * that would overflow. The scale is kept as a float32 value, as torch keeps it in a float32 tensor.
 *
 * What it is for here: tfjs's cpu and wasm backends compute in float32 only, so there is no float16 underflow for the
 * scale to prevent. On these backends this plugin is a **non-finite step guard**: it detects steps whose gradients
 * overflowed or went NaN, skips them, and backs the scale off, while keeping GradScaler-compatible state. (Scaling a
 * float32 loss by 2¹⁶ is exact for powers of two and does not change the unscaled gradients beyond rounding.)
 *
 * State, and the `torch.cuda.amp.GradScaler.state_dict()` key each field corresponds to (the torch names are accepted
 * on load, so a GradScaler's state dict loads directly):
 *
 * | kindling        | torch GradScaler   |
 * |-----------------|--------------------|
 * | `scale`         | `scale`            |
 * | `growthFactor`  | `growth_factor`    |
 * | `backoffFactor` | `backoff_factor`   |
 * | `growthInterval`| `growth_interval`  |
 * | `growthTracker` | `_growth_tracker`  |
 */
import * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../state/index.js';
import { replaceTensor } from '../engine/index.js';
import type { GradientMap } from '../optim/functional/index.js';
import { DynamicLossScalingState } from './dynamic-loss-scaling.state.generated.js';
import { Precision } from './precision.js';

export interface DynamicLossScalingOptions {
  readonly initScale?: number;
  readonly growthFactor?: number;
  readonly backoffFactor?: number;
  readonly growthInterval?: number;
}

/** torch's GradScaler state_dict() (the keys torch writes). */
export interface TorchGradScalerState {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
}

@stateful(DynamicLossScalingState)
export class DynamicLossScaling extends Precision {
  @persist() scale: number;
  @persist({ legacyNames: ['growth_factor'] }) growthFactor: number;
  @persist({ legacyNames: ['backoff_factor'] }) backoffFactor: number;
  @persist({ legacyNames: ['growth_interval'] }) growthInterval: number;
  /** Consecutive steps with finite gradients since the last change of scale. */
  @persist({ legacyNames: ['_growth_tracker'] }) growthTracker = 0;
  /** Whether this step's gradients were unscaled already, and whether they were all finite (not state: per step). */
  private unscaled: { finite: boolean } | undefined;

  constructor(options: DynamicLossScalingOptions = {}) {
    super();
    const { initScale = 2 ** 16, growthFactor = 2, backoffFactor = 0.5, growthInterval = 2000 } = options;
    if (!(growthFactor > 1)) throw new RangeError(`DynamicLossScaling: growthFactor must be > 1, got ${growthFactor}`);
    if (!(backoffFactor < 1)) throw new RangeError(`DynamicLossScaling: backoffFactor must be < 1, got ${backoffFactor}`);
    if (!Number.isInteger(growthInterval) || growthInterval < 1) {
      throw new RangeError(`DynamicLossScaling: growthInterval must be a positive integer, got ${growthInterval}`);
    }
    this.scale = Math.fround(initScale);
    this.growthFactor = growthFactor;
    this.backoffFactor = backoffFactor;
    this.growthInterval = growthInterval;
  }

  /** The loss times the current scale (a new tensor). */
  override scaleLoss(loss: tf.Tensor): tf.Tensor {
    return tf.mul(loss, this.scale);
  }

  /**
   * Multiplies every gradient by float32(1/scale), in place (entries replaced, old tensors disposed), and records
   * whether the scaled gradients were all finite. Calling it twice in one step is an error, as in torch.
   */
  override unscaleGradients(grads: GradientMap): boolean {
    if (this.unscaled !== undefined) throw new Error('DynamicLossScaling: unscaleGradients was already called since the last optimizerStep');
    const names = Object.keys(grads);
    const invScale = Math.fround(1 / this.scale);
    const nonFinite = tf.tidy(() =>
      names.length === 0 ? 0 : tf.addN(names.map((n) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(grads[n]!)), 'int32')))).dataSync()[0]!,
    );
    for (const name of names) replaceTensor(grads, name, tf.mul(grads[name]!, invScale));
    this.unscaled = { finite: nonFinite === 0 };
    return this.unscaled.finite;
  }

  /**
   * Unscales (unless already done this step), calls `step(grads)` only if the gradients were finite, then updates the
   * scale. Returns whether the optimizer stepped.
   */
  override optimizerStep(grads: GradientMap, step: (grads: GradientMap) => void): boolean {
    const finite = this.unscaled?.finite ?? this.unscaleGradients(grads);
    this.unscaled = undefined;
    if (finite) step(grads);
    this.update(!finite);
    return finite;
  }

  /** torch's `_amp_update_scale_`: back off on a non-finite step, grow after `growthInterval` finite ones. */
  update(foundNonFinite: boolean): void {
    if (foundNonFinite) {
      this.scale = Math.fround(this.scale * this.backoffFactor);
      this.growthTracker = 0;
      return;
    }
    const successful = this.growthTracker + 1;
    if (successful === this.growthInterval) {
      const grown = Math.fround(this.scale * this.growthFactor);
      if (Number.isFinite(grown)) this.scale = grown;
      this.growthTracker = 0;
    } else {
      this.growthTracker = successful;
    }
  }

  /** The state under torch GradScaler's `state_dict()` keys, e.g. to hand to a torch run. */
  torchStateDict(): TorchGradScalerState {
    return {
      scale: this.scale,
      growth_factor: this.growthFactor,
      backoff_factor: this.backoffFactor,
      growth_interval: this.growthInterval,
      _growth_tracker: this.growthTracker,
    };
  }
}
