/** Activations as layers (torch's `nn.ReLU`, …), for {@link Sequential}; each is the tfjs op of the same name. */
import * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../../state/index.js';
import { Layer } from '../layer.js';
import { GELUState, LeakyReLUState, ReLUState, SigmoidState, TanhState } from './activations.state.generated.js';

@stateful(ReLUState)
export class ReLU extends Layer {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

@stateful(LeakyReLUState)
export class LeakyReLU extends Layer {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, this.negativeSlope);
  }
}

@stateful(SigmoidState)
export class Sigmoid extends Layer {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}

@stateful(TanhState)
export class Tanh extends Layer {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}

/** torch's exact GELU (`approximate='none'`): x·Φ(x) = x/2·(1 + erf(x/√2)). */
@stateful(GELUState)
export class GELU extends Layer {
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
  }
}
