/**
 * A tiny real tfjs model for trainer tests: y = x·w + b fitted by plain SGD on a fixed synthetic dataset.
 *
 * Until parameters are persisted by the state layer (value kinds), the module's weights are saved by a hand-written
 * `stateDict`/`loadStateDict` here, and the test optimizer saves its param groups the same way (kindling's SGD class
 * is not on main yet). Both validate before they change anything, as the generated code does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fromTfTensor, toTfTensor } from '../../../src/components/engine/convert.js';
import { DataLoader } from '../../../src/components/data/data-loader.js';
import { TensorDataset } from '../../../src/components/data/tensor-dataset.js';
import { Module } from '../../../src/components/nn/module.js';
import type { OptimizersConfig } from '../../../src/components/nn/module-types.js';
import { Parameter } from '../../../src/components/nn/parameter.js';
import { Optimizer, type NamedParameters, type ParamGroup } from '../../../src/components/optim/optimizer.js';
import { sgdStep } from '../../../src/components/optim/functional/sgd.js';
import { StateError, type StateIssue } from '../../../src/state/errors.js';
import { isTensor, type Tensor } from '../../../src/state/tensor.js';

export class TestSGD extends Optimizer {
  readonly paramGroups: ParamGroup[];

  constructor(params: NamedParameters, options: { lr: number }) {
    super();
    this.paramGroups = this.buildGroups(params, options, (names, o) => ({ params: names, lr: o.lr }));
  }

  protected updateParameter(_name: string, param: tf.Variable, grad: tf.Tensor, group: ParamGroup): void {
    sgdStep(param, grad, { momentumBuffer: null }, { lr: group.lr });
  }

  override stateDict(): { paramGroups: { params: string[]; lr: number; initialLr?: number }[] } {
    return { paramGroups: this.paramGroups.map((g) => ({ params: [...g.params], lr: g.lr, ...(g.initialLr === undefined ? {} : { initialLr: g.initialLr }) })) };
  }

  override loadStateDict(state: never): { missingKeys: string[]; unexpectedKeys: string[] } {
    const s = state as { paramGroups?: { lr?: unknown; initialLr?: number }[] };
    if (!Array.isArray(s?.paramGroups) || s.paramGroups.length !== this.paramGroups.length || s.paramGroups.some((g) => typeof g.lr !== 'number')) {
      throw new StateError([{ path: 'TestSGD.paramGroups', kind: 'type', expected: `${this.paramGroups.length} groups with a numeric lr`, actual: JSON.stringify(s?.paramGroups) }]);
    }
    s.paramGroups.forEach((g, i) => {
      this.paramGroups[i]!.lr = g.lr as number;
      if (g.initialLr !== undefined) this.paramGroups[i]!.initialLr = g.initialLr;
    });
    return { missingKeys: [], unexpectedKeys: [] };
  }

  dispose(): void {}
}

export type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

export class TinyRegressor extends Module {
  weight: Parameter;
  bias: Parameter;
  lr: number;

  constructor(options: { lr?: number; seedWeight?: number } = {}) {
    super();
    this.weight = new Parameter(tf.tensor2d([[options.seedWeight ?? 0.1], [-0.2]]), { nameHint: 'tiny.weight' });
    this.bias = new Parameter(tf.tensor1d([0]), { nameHint: 'tiny.bias' });
    this.lr = options.lr ?? 0.1;
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
    return new TestSGD(this.namedParameters(), { lr: this.lr });
  }

  override stateDict(): { weight: Tensor; bias: Tensor } {
    return { weight: fromTfTensor(this.weight.variable), bias: fromTfTensor(this.bias.variable) };
  }

  override loadStateDict(state: never): { missingKeys: string[]; unexpectedKeys: string[] } {
    const s = state as Record<string, unknown>;
    const issues: StateIssue[] = [];
    for (const [name, p] of [['weight', this.weight], ['bias', this.bias]] as const) {
      const t = s?.[name];
      if (!isTensor(t) || t.shape.join(',') !== p.variable.shape.join(',')) {
        issues.push({ path: `TinyRegressor.${name}`, kind: 'type', expected: `float32[${p.variable.shape.join(',')}]`, actual: isTensor(t) ? `${t.dtype}[${t.shape.join(',')}]` : typeof t });
      }
    }
    if (issues.length > 0) throw new StateError(issues);
    this.weight.variable.assign(toTfTensor(s['weight'] as Tensor));
    this.bias.variable.assign(toTfTensor(s['bias'] as Tensor));
    return { missingKeys: [], unexpectedKeys: [] };
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
