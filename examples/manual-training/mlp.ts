/**
 * The model of docs/guide-manual-training.md: a two-layer perceptron for the 8×8 digits. Its submodules are
 * `@persist` fields, so `npm run codegen` gives it a typed state (mlp.state.generated.ts):
 * `MlpState = ModuleState & { fc1: LinearState; fc2: LinearState }`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, CosineAnnealingLR, crossEntropy, Generator, Linear, Module, type OptimizersConfig, persist, stateful } from 'kindling';
import { MlpState } from './mlp.state.generated.js';

/** A batch: images `[B, 64]` float32 and labels `[B]` int32. */
export interface DigitsBatch {
  readonly x: tf.Tensor2D;
  readonly y: tf.Tensor1D;
}

@stateful(MlpState)
export class Mlp extends Module {
  @persist() fc1: Linear;
  @persist() fc2: Linear;

  constructor(inputs: number, hidden: number, classes: number, generator = new Generator(0)) {
    super();
    this.hparams = { inputs, hidden, classes };
    this.fc1 = new Linear(inputs, hidden, { generator });
    this.fc2 = new Linear(hidden, classes, { generator });
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(tf.relu(this.fc1.forward(x))));
  }

  trainingStep(batch: DigitsBatch, _batchIdx: number): tf.Scalar {
    const loss = tf.tidy(() => crossEntropy(this.forward(batch.x), batch.y) as tf.Scalar);
    this.log('train_loss', loss, { progBar: true });
    return loss;
  }

  configureOptimizers(): OptimizersConfig {
    const optimizer = new AdamW(this.namedParameters(), { lr: 1e-2, weightDecay: 1e-4 });
    return { optimizer, lrScheduler: { scheduler: new CosineAnnealingLR(optimizer, { tMax: 100 }), interval: 'step' } };
  }
}
