/**
 * torch's `nn.Dropout`: in training mode, zeroes each element with probability `p` and scales the rest by 1/(1−p);
 * in evaluation mode, returns its input. Masks come from a kindling {@link Generator} (one word per element), never
 * from tfjs's implicit seed, so a run is reproducible from its seed. The generator is not part of the layer's state:
 * save the generator (kindling's default one unless another is given) to resume the same masks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../../state/index.js';
import { defaultGenerator } from '../../rng/default.js';
import type { Generator } from '../../rng/generator.js';
import { ModuleError } from '../errors.js';
import { Layer } from '../layer.js';
import { DropoutState } from './dropout.state.generated.js';

export interface DropoutOptions {
  readonly generator?: Generator;
}

@stateful(DropoutState)
export class Dropout extends Layer {
  readonly p: number;
  readonly #generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ModuleError(`Dropout: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.#generator = options.generator;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return tf.clone(x);
    if (this.p === 1) return tf.zerosLike(x);
    const mask = (this.#generator ?? defaultGenerator()).fillBernoulli(new Float32Array(x.size), 1 - this.p);
    return tf.tidy(() => tf.mul(x, tf.mul(tf.tensor(mask, x.shape, 'float32'), 1 / (1 - this.p))));
  }
}
