/**
 * torch's Adam and AdamW updates for one parameter (torch 1.13 `_single_tensor_adam` / `_single_tensor_adamw`, the
 * algorithm boxes in the torch.optim docs). With t the step count after this step's increment:
 *
 *     g ← ±grad (− when maximize)
 *     Adam:  g ← g + weightDecay·θ            AdamW:  θ ← θ·(1 − lr·weightDecay)
 *     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *     v̂ ← max(v̂, v) (amsgrad)
 *     θ ← θ − lr/(1 − β1ᵗ) · m / (√(v or v̂) / √(1 − β2ᵗ) + eps)
 *
 * The bias corrections are computed in double precision, as torch computes them from its step count; the tensor
 * math is float32. The parameter and the moments are tfjs variables updated with `assign`.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  readonly lr?: number;
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  readonly weightDecay?: number;
  readonly amsgrad?: boolean;
  readonly maximize?: boolean;
}

/** The defaults of torch.optim.Adam; AdamW's differ only in `weightDecay` (1e-2). */
export const ADAM_DEFAULTS = { lr: 1e-3, betas: [0.9, 0.999] as const, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
export const ADAMW_DEFAULTS = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/** Adam's per-parameter moments: torch's `exp_avg`, `exp_avg_sq` and (amsgrad) `max_exp_avg_sq`. */
export interface AdamMoments {
  readonly expAvg: tf.Variable;
  readonly expAvgSq: tf.Variable;
  readonly maxExpAvgSq?: tf.Variable;
}

/** torch's constructor checks, with kindling's option names (`name` is the optimizer's, for the message). */
export function checkAdamOptions(options: AdamOptions, name = 'Adam'): void {
  const { lr = 1e-3, betas = ADAM_DEFAULTS.betas, eps = 1e-8, weightDecay = 0 } = options;
  if (!(lr >= 0)) throw new RangeError(`${name}: invalid learning rate ${lr} (must be >= 0)`);
  if (!(eps >= 0)) throw new RangeError(`${name}: invalid eps ${eps} (must be >= 0)`);
  betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) throw new RangeError(`${name}: invalid beta at index ${i}: ${beta} (must be in [0, 1))`);
  });
  if (!(weightDecay >= 0)) throw new RangeError(`${name}: invalid weightDecay ${weightDecay} (must be >= 0)`);
}

/** Zero moments shaped like `param` (torch creates them on a parameter's first step). */
export function initAdamMoments(param: tf.Tensor, amsgrad = false): AdamMoments {
  const zeros = () => tf.variable(tf.zerosLike(param), false);
  return tf.tidy(() => ({ expAvg: zeros(), expAvgSq: zeros(), ...(amsgrad ? { maxExpAvgSq: zeros() } : {}) }));
}

function checkStep(step: number): void {
  if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`Adam: step must be the 1-based count of this update, got ${step}`);
}

function update(param: tf.Variable, grad: tf.Tensor, moments: AdamMoments, step: number, options: AdamOptions, decoupled: boolean): void {
  checkStep(step);
  const defaults = decoupled ? ADAMW_DEFAULTS : ADAM_DEFAULTS;
  const { lr = defaults.lr, betas = defaults.betas, eps = defaults.eps, weightDecay = defaults.weightDecay, amsgrad = false, maximize = false } = options;
  const [beta1, beta2] = betas;
  if (amsgrad && moments.maxExpAvgSq === undefined) throw new RangeError('Adam: amsgrad needs maxExpAvgSq (create the moments with amsgrad = true)');
  tf.tidy(() => {
    let g = maximize ? tf.neg(grad) : grad;
    if (decoupled) param.assign(tf.mul(param, 1 - lr * weightDecay));
    else if (weightDecay !== 0) g = tf.add(g, tf.mul(param, weightDecay));
    moments.expAvg.assign(tf.add(tf.mul(moments.expAvg, beta1), tf.mul(g, 1 - beta1)));
    moments.expAvgSq.assign(tf.add(tf.mul(moments.expAvgSq, beta2), tf.mul(tf.mul(g, g), 1 - beta2)));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
    const stepSize = lr / biasCorrection1;
    let second: tf.Tensor = moments.expAvgSq;
    if (amsgrad) {
      moments.maxExpAvgSq!.assign(tf.maximum(moments.maxExpAvgSq!, moments.expAvgSq));
      second = moments.maxExpAvgSq!;
    }
    const denom = tf.add(tf.div(tf.sqrt(second), biasCorrection2Sqrt), eps);
    param.assign(tf.add(param, tf.div(tf.mul(moments.expAvg, -stepSize), denom)));
  });
}

/** One Adam update (L2 weight decay added to the gradient). `step` is this update's 1-based count. */
export function adamStep(param: tf.Variable, grad: tf.Tensor, moments: AdamMoments, step: number, options: AdamOptions = {}): void {
  update(param, grad, moments, step, options, false);
}

/** One AdamW update (weight decay decoupled: the parameter shrinks by lr·weightDecay first). */
export function adamwStep(param: tf.Variable, grad: tf.Tensor, moments: AdamMoments, step: number, options: AdamOptions = {}): void {
  update(param, grad, moments, step, options, true);
}
