/**
 * A tiny real tfjs model for trainer tests: y = x·w + b fitted by plain SGD on a fixed synthetic dataset.
 *
 * A normal Module subclass: its weights are `@persist` Parameters, saved and restored (validated before anything
 * changes, loaded in place) by the state code in tiny.state.ts, which is what `kindling codegen` writes for this file,
 * kept by hand because codegen skips test/. The optimizer is kindling's SGD.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader } from '../../../src/components/data/data-loader.js';
import { TensorDataset } from '../../../src/components/data/tensor-dataset.js';
import { Module } from '../../../src/components/nn/module.js';
import type { OptimizersConfig } from '../../../src/components/nn/module-types.js';
import { Parameter } from '../../../src/components/nn/parameter.js';
import { SGD } from '../../../src/components/optim/sgd.js';
import { StepLR } from '../../../src/components/schedulers/step-lr.js';
import { persist, stateful } from '../../../src/state/index.js';
import { TinyRegressorState } from './tiny.state.js';

export type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

@stateful(TinyRegressorState)
export class TinyRegressor extends Module {
  @persist() weight: Parameter;
  @persist() bias: Parameter;
  lr: number;
  readonly withScheduler: boolean;

  constructor(options: { lr?: number; seedWeight?: number; withScheduler?: boolean } = {}) {
    super();
    this.weight = new Parameter(tf.tensor2d([[options.seedWeight ?? 0.1], [-0.2]]), { nameHint: 'tiny.weight' });
    this.bias = new Parameter(tf.tensor1d([0]), { nameHint: 'tiny.bias' });
    this.lr = options.lr ?? 0.1;
    this.withScheduler = options.withScheduler ?? false;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.weight.variable), this.bias.variable);
  }

  trainingStep(batch: Batch, _batchIdx: number): tf.Scalar {
    const loss = tf.mean(tf.square(tf.sub(this.forward(batch.x), batch.y))) as tf.Scalar;
    this.log('train_loss', loss, { progBar: true });
    return loss;
  }

  validationStep(batch: Batch, _batchIdx: number): void {
    const loss = tf.mean(tf.square(tf.sub(this.forward(batch.x), batch.y)));
    this.log('val_loss', loss);
  }

  testStep(batch: Batch, _batchIdx: number): void {
    const loss = tf.mean(tf.square(tf.sub(this.forward(batch.x), batch.y)));
    this.log('test_loss', loss);
  }

  predictStep(batch: Batch, _batchIdx: number): tf.Tensor {
    return this.forward(batch.x);
  }

  configureOptimizers(): OptimizersConfig {
    const optimizer = new SGD(this.namedParameters(), { lr: this.lr });
    if (!this.withScheduler) return optimizer;
    return { optimizer, lrScheduler: { scheduler: new StepLR(optimizer, { stepSize: 1, gamma: 0.5 }), interval: 'epoch' } };
  }
}

/** 24 points of y = 2·x0 − x1 + 0.5 (no noise), in a fixed order. */
export function regressionData(n = 24): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = ((i * 7) % 11) / 11 - 0.5;
    const b = ((i * 5) % 13) / 13 - 0.5;
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = 2 * a - b + 0.5;
  }
  return { x, y };
}

export function loaderOf(options: { n?: number; batchSize?: number; shuffle?: boolean } = {}): DataLoader<unknown, Batch> {
  const n = options.n ?? 24;
  const { x, y } = regressionData(n);
  const dataset = new TensorDataset({ x: tf.tensor2d(x, [n, 2]), y: tf.tensor2d(y, [n, 1]) });
  return new DataLoader(dataset, { batchSize: options.batchSize ?? 4, shuffle: options.shuffle ?? false }) as unknown as DataLoader<unknown, Batch>;
}
