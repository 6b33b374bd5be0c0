/** torch's `nn.Linear`: `y = x·Wᵀ + b`, with W of shape [outFeatures, inFeatures] (torch's layout, so weights interchange). */
import * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../../state/index.js';
import { checkedState } from '../../rng/checked-state.js';
import type { Generator } from '../../rng/generator.js';
import { ModuleError } from '../errors.js';
import { linearWeightBound, uniformInit } from '../init.js';
import { Layer } from '../layer.js';
import { Parameter } from '../parameter.js';
import { sameOptionalParameters } from './optional-parameters.js';
import { LinearState } from './linear.state.generated.js';

export interface LinearOptions {
  /** Whether the layer has a bias (default true). */
  readonly bias?: boolean;
  /** Where the initial values come from (default: kindling's default generator). */
  readonly generator?: Generator;
}

@checkedState(sameOptionalParameters<Linear>('bias'))
@stateful(LinearState)
export class Linear extends Layer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  @persist() weight: Parameter;
  @persist() bias: Parameter | null;

  /**
   * torch's initialisation: W ~ U(±1/√inFeatures) (kaiming-uniform with a = √5), b ~ U(±1/√inFeatures), drawn in that
   * order.
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [what, n] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isSafeInteger(n) || n < 0) throw new ModuleError(`Linear: ${what} must be a non-negative integer, got ${n}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const bound = linearWeightBound(inFeatures);
    this.weight = Parameter.fromInit(() => uniformInit([outFeatures, inFeatures], -bound, bound, options.generator), { nameHint: 'linear.weight' });
    this.bias =
      options.bias === false ? null : Parameter.fromInit(() => uniformInit([outFeatures], -bound, bound, options.generator), { nameHint: 'linear.bias' });
  }

  /** x of shape [..., inFeatures] → [..., outFeatures]. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = x.rank === 2 ? x : tf.reshape(x, [-1, this.inFeatures]);
      let y: tf.Tensor = tf.matMul(flat, this.weight.variable, false, true);
      if (this.bias !== null) y = tf.add(y, this.bias.variable);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }
}
