/**
 * The flagship's model: a two-layer perceptron for the shipped 8×8 digits, with dropout, trained with AdamW under a
 * linear warmup followed by cosine annealing (torch's LinearLR then CosineAnnealingLR in a SequentialLR, stepped
 * after every optimizer step).
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  AdamW,
  CosineAnnealingLR,
  crossEntropy,
  Dropout,
  Generator,
  Linear,
  LinearLR,
  Module,
  type OptimizersConfig,
  persist,
  SequentialLR,
  stateful,
} from 'kindling';
import { DigitsClassifierState } from './classifier.state.generated.js';

/** A batch of the digits DataModule: pixels `[B, 64]` in [0, 1] and labels `[B]`. */
export interface DigitsBatch {
  readonly image: tf.Tensor2D;
  readonly label: tf.Tensor1D;
}

export interface ClassifierOptions {
  readonly hidden?: number;
  readonly lr?: number;
  /** Optimizer steps of linear warmup, then cosine annealing over the remaining `totalSteps - warmupSteps`. */
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Where the initial weights come from. */
  readonly generator?: Generator;
}

@stateful(DigitsClassifierState)
export class DigitsClassifier extends Module {
  @persist() fc1: Linear;
  @persist() fc2: Linear;
  /** No state of its own: its masks come from kindling's default generator, which the trainer checkpoints. */
  readonly dropout = new Dropout(0.2);
  private readonly options: Required<Omit<ClassifierOptions, 'generator'>>;

  constructor(options: ClassifierOptions) {
    super();
    const generator = options.generator ?? new Generator(0);
    this.options = { hidden: 64, lr: 0.01, ...options };
    this.hparams = { ...this.options };
    this.fc1 = new Linear(64, this.options.hidden, { generator });
    this.fc2 = new Linear(this.options.hidden, 10, { generator });
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(this.dropout.forward(tf.relu(this.fc1.forward(x)))));
  }

  trainingStep(batch: DigitsBatch): tf.Scalar {
    const loss = tf.tidy(() => crossEntropy(this.forward(batch.image), batch.label) as tf.Scalar);
    this.log('train_loss', loss, { progBar: true });
    return loss;
  }

  validationStep(batch: DigitsBatch): void {
    tf.tidy(() => {
      const logits = this.forward(batch.image);
      this.log('val_loss', crossEntropy(logits, batch.label), { progBar: true });
      this.log('val_acc', tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(batch.label, 'int32')), 'float32')), { progBar: true });
    });
  }

  configureOptimizers(): OptimizersConfig {
    const { lr, warmupSteps, totalSteps } = this.options;
    const optimizer = new AdamW(this.namedParameters(), { lr, weightDecay: 1e-4 });
    const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: warmupSteps });
    const cosine = new CosineAnnealingLR(optimizer, { tMax: totalSteps - warmupSteps, etaMin: lr / 100 });
    const scheduler = new SequentialLR(optimizer, { schedulers: [warmup, cosine], milestones: [warmupSteps] });
    return { optimizer, lrScheduler: { scheduler, interval: 'step' } };
  }
}
