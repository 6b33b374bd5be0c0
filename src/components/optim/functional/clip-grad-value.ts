/** torch's `clip_grad_value_` over a named gradient map: every element is clamped to `[-clipValue, clipValue]`. */
import * as tf from '@tensorflow/tfjs-core';
import { replaceTensor } from '../../engine/index.js';
import type { GradientMap } from './gradient-map.js';

/** Clamps the gradients in place (each entry is replaced and the old tensor disposed). */
export function clipGradValue(grads: GradientMap, clipValue: number): void {
  if (!(clipValue >= 0)) throw new RangeError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const name of Object.keys(grads)) replaceTensor(grads, name, tf.clipByValue(grads[name]!, -clipValue, clipValue));
}
