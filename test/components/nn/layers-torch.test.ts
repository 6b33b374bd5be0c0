/**
 * Layer forward passes and gradients against torch 1.13 (test/fixtures/torch/layers.json, recorded by
 * scripts/python/reference_layers.py): the same weights and inputs give the same outputs, and the gradient of
 * sum(output · probe) with respect to the input and every weight matches torch's, on both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { Embedding, GELU, type Layer, LayerNorm, LeakyReLU, Linear, type Parameter, ReLU, Sigmoid, Tanh, valueAndGrads } from '../../../src/components/nn/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

interface Case {
  name: string;
  input: FixtureTensor;
  weights: Record<string, FixtureTensor>;
  probe: FixtureTensor;
  output: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}
const fixture = loadFixture<Fixture & { cases: Case[] }>('layers.json');

type ForwardLayer = Layer & { forward(x: tf.Tensor): tf.Tensor };
const LAYERS: Record<string, () => ForwardLayer> = {
  linear: () => new Linear(4, 3),
  linearNoBias3d: () => new Linear(4, 2, { bias: false }),
  embeddingPadding: () => new Embedding(6, 3, { paddingIdx: 2 }),
  layerNorm: () => new LayerNorm(5),
  layerNorm2d: () => new LayerNorm([2, 3], { eps: 1e-3 }),
  layerNormNoAffine: () => new LayerNorm(6, { elementwiseAffine: false }),
  relu: () => new ReLU(),
  leakyRelu: () => new LeakyReLU(0.2),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  gelu: () => new GELU(),
};

function check(c: Case): void {
  const layer = LAYERS[c.name]!();
  const params = Object.fromEntries(layer.namedParameters()) as Record<string, Parameter>;
  expect(Object.keys(params).sort(), `${c.name}: parameters`).toEqual(Object.keys(c.weights).sort());
  for (const [name, w] of Object.entries(c.weights)) tf.tidy(() => params[name]!.assign(tfTensorOf(w)));
  const x = tfTensorOf(c.input);
  const probe = tfTensorOf(c.probe);
  const out = layer.forward(x);
  expectMatches(`${c.name} output`, out, c.output);
  out.dispose();
  const input = x.dtype === 'float32' ? tf.variable(x, true) : undefined;
  const f = (): tf.Scalar => tf.sum(tf.mul(layer.forward(input ?? x), probe));
  if (Object.keys(c.weights).length > 0) {
    const { value, grads } = valueAndGrads(layer, f);
    for (const name of Object.keys(c.weights)) expectMatches(`${c.name} grad ${name}`, grads[name]!, c.grads[name]!);
    tf.dispose([value, ...Object.values(grads)]);
  }
  if (input !== undefined) {
    const { value, grads } = tf.variableGrads(f, [input]);
    expectMatches(`${c.name} grad input`, grads[input.name]!, c.grads.input!);
    tf.dispose([value, input, ...Object.values(grads)]);
  }
  tf.dispose([x, probe]);
  layer.dispose();
}

describe.each<BackendName>(['cpu', 'wasm'])('layers on %s match torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it('covers every layer kindling ships', () => {
    expect(fixture.cases.map((c) => c.name).sort()).toEqual(Object.keys(LAYERS).sort());
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const before = liveTensorCount();
    check(c);
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });
});
