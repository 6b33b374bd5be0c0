/**
 * The precision plugin, as Lightning's `Precision`: it decides how the loss is scaled before backpropagation and
 * whether, and how, an optimizer step is taken from the gradients. The base plugin computes in float32 and changes
 * nothing. Its state is empty (`{}`), and it has the global checkpoint hooks `onSaveCheckpoint` /
 * `onLoadCheckpoint` that Lightning's plugin still calls (no-ops here; subclasses may read or add checkpoint keys).
 *
 * The trainer calls, per training step:
 * 1. `scaleLoss(loss)` inside the function it differentiates (`tf.variableGrads(() => precision.scaleLoss(loss()))`);
 * 2. optionally `unscaleGradients(grads)` before clipping, so that clipping sees true gradients;
 * 3. `optimizerStep(grads, step)`, which unscales if that was not done, calls `step(grads)` unless the plugin skips
 *    this step, and returns whether it stepped.
 */
import * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../state/index.js';
import type { GradientMap } from '../optim/functional/index.js';
import { PrecisionState } from './precision.state.generated.js';

/** The checkpoint as the global hooks see it: the whole checkpoint's top-level entries (the trainer's layout). */
export type CheckpointContents = Record<string, unknown>;

/** Lightning's precision names that kindling implements. */
export type PrecisionName = '32-true';

@stateful(PrecisionState)
export class Precision {
  /** The precision, in Lightning's names (compute is float32 on every tfjs backend kindling runs). */
  readonly precision: PrecisionName = '32-true';

  /** The loss to differentiate. Float32 training differentiates the loss itself (the same tensor is returned). */
  scaleLoss(loss: tf.Tensor): tf.Tensor {
    return loss;
  }

  /** Brings the gradients back to the loss's scale; returns whether they are all finite (here: not checked, true). */
  unscaleGradients(_grads: GradientMap): boolean {
    return true;
  }

  /** Takes the optimizer step from `grads` (after unscaling them), unless the plugin skips it; returns whether it stepped. */
  optimizerStep(grads: GradientMap, step: (grads: GradientMap) => void): boolean {
    this.unscaleGradients(grads);
    step(grads);
    return true;
  }

  /** Called when a checkpoint is being saved, with its contents, which the hook may read or extend. */
  onSaveCheckpoint(_checkpoint: CheckpointContents): void {}

  /** Called when a checkpoint is being loaded, with its contents, before components load their state. */
  onLoadCheckpoint(_checkpoint: CheckpointContents): void {}
}
