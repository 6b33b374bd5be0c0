/**
 * torch's `nn.LayerNorm`: normalises over the last dimensions (`normalizedShape`) with the biased variance, then
 * scales and shifts elementwise (weight ones, bias zeros at first).
 */
import * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../../state/index.js';
import { checkedState } from '../../rng/checked-state.js';
import { ModuleError } from '../errors.js';
import { Layer } from '../layer.js';
import { Parameter } from '../parameter.js';
import { sameOptionalParameters } from './optional-parameters.js';
import { LayerNormState } from './layer-norm.state.generated.js';

export interface LayerNormOptions {
  readonly eps?: number;
  /** Whether there are a weight and a bias (torch's `elementwise_affine`, default true). */
  readonly elementwiseAffine?: boolean;
}

@checkedState(sameOptionalParameters<LayerNorm>('weight', 'bias'))
@stateful(LayerNormState)
export class LayerNorm extends Layer {
  readonly normalizedShape: number[];
  readonly eps: number;
  @persist() weight: Parameter | null;
  @persist() bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? Parameter.fromInit(() => tf.ones(this.normalizedShape), { nameHint: 'layer_norm.weight' }) : null;
    this.bias = affine ? Parameter.fromInit(() => tf.zeros(this.normalizedShape), { nameHint: 'layer_norm.bias' }) : null;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ModuleError(`LayerNorm: input shape [${x.shape.join(',')}] does not end with normalizedShape [${this.normalizedShape.join(',')}]`);
    }
    return tf.tidy(() => {
      const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
      const { mean, variance } = tf.moments(x, axes, true);
      let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, this.eps)));
      if (this.weight !== null) y = tf.mul(y, this.weight.variable);
      if (this.bias !== null) y = tf.add(y, this.bias.variable);
      return y;
    });
  }
}
