/**
 * torch's SGD update for one parameter (torch 1.13 `_single_tensor_sgd`, the algorithm box in the torch.optim docs):
 *
 *     g ← ±grad (− when maximize);  g ← g + weightDecay·θ
 *     if momentum ≠ 0:  b ← g on the first step, else b ← momentum·b + (1 − dampening)·g
 *                       g ← g + momentum·b (nesterov) or g ← b
 *     θ ← θ − lr·g
 *
 * The parameter and the momentum buffer are tfjs variables updated with `assign`; the momentum buffer is created on
 * the first step with momentum (torch's `momentum_buffer`, which is `None` until then). Nothing else is left alive.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface SgdOptions {
  readonly lr: number;
  readonly momentum?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
  readonly weightDecay?: number;
  readonly maximize?: boolean;
}

/** SGD's per-parameter state: torch's `state[p]['momentum_buffer']`. */
export interface SgdParamState {
  momentumBuffer: tf.Variable | null;
}

/** torch's constructor checks, with kindling's option names. */
export function checkSgdOptions(options: SgdOptions): void {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
  if (!(lr >= 0)) throw new RangeError(`SGD: invalid learning rate ${lr} (must be >= 0)`);
  if (!(momentum >= 0)) throw new RangeError(`SGD: invalid momentum ${momentum} (must be >= 0)`);
  if (!(weightDecay >= 0)) throw new RangeError(`SGD: invalid weightDecay ${weightDecay} (must be >= 0)`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) throw new RangeError('SGD: nesterov momentum requires a momentum > 0 and zero dampening');
}

export function initSgdState(): SgdParamState {
  return { momentumBuffer: null };
}

/** One SGD update of `param` from `grad`; updates `param` and `state` in place. */
export function sgdStep(param: tf.Variable, grad: tf.Tensor, state: SgdParamState, options: SgdOptions): void {
  const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = options;
  tf.tidy(() => {
    let d = maximize ? tf.neg(grad) : grad;
    if (weightDecay !== 0) d = tf.add(d, tf.mul(param, weightDecay));
    if (momentum !== 0) {
      const buffer = state.momentumBuffer;
      if (buffer === null) {
        state.momentumBuffer = tf.variable(d, false);
      } else {
        buffer.assign(tf.add(tf.mul(buffer, momentum), tf.mul(d, 1 - dampening)));
      }
      const b = state.momentumBuffer!;
      d = nesterov ? tf.add(d, tf.mul(b, momentum)) : b;
    }
    param.assign(tf.sub(param, tf.mul(d, lr)));
  });
}
