/**
 * Layer construction: torch's default initialisation bounds and values, drawn from kindling's generator (the same
 * seed builds the same layer), names inside a Sequential, and Dropout's masks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { Dropout, Embedding, LayerNorm, Linear, ReLU, Sequential } from '../../../src/components/nn/index.js';
import { Generator } from '../../../src/components/rng/index.js';

describe('layer initialisation', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('Linear draws W and b from U(±1/√inFeatures), weight first, from the given generator', () => {
    const generator = new Generator(7);
    const layer = new Linear(16, 8, { generator });
    expect(layer.weight.shape).toEqual([8, 16]);
    expect(layer.bias!.shape).toEqual([8]);
    const w = layer.weight.variable.dataSync();
    const b = layer.bias!.variable.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(0.25);
    expect(Math.max(...b.map(Math.abs))).toBeLessThan(0.25);
    // Both span most of the interval (128 draws: the largest magnitude is above 0.2 with overwhelming probability).
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.2);
    const replay = new Generator(7);
    const expectedW = replay.fillUniform(new Float32Array(128), -0.25, 0.25);
    const expectedB = replay.fillUniform(new Float32Array(8), -0.25, 0.25);
    expect(Array.from(w)).toEqual(Array.from(expectedW));
    expect(Array.from(b)).toEqual(Array.from(expectedB));
    layer.dispose();
  });

  it('the same seed gives the same model, another seed a different one', () => {
    const make = (seed: number) => new Sequential(new Linear(4, 3, { generator: new Generator(seed) }), new ReLU(), new Linear(3, 2, { generator: new Generator(seed + 1) }));
    const [a, b, c] = [make(1), make(1), make(2)];
    const values = (m: Sequential) => m.parameters().map((p) => Array.from(p.variable.dataSync()));
    expect(values(a)).toEqual(values(b));
    expect(values(a)).not.toEqual(values(c));
    expect(a.namedParameters().map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.2.weight', 'layers.2.bias']);
    [a, b, c].forEach((m) => m.dispose());
  });

  it('Embedding is N(0,1) with a zero padding row; LayerNorm starts at ones and zeros', () => {
    const emb = new Embedding(200, 10, { paddingIdx: -1, generator: new Generator(3) });
    const w = emb.weight.variable.arraySync() as number[][];
    expect(w[199]).toEqual(new Array(10).fill(0));
    const flat = w.slice(0, 199).flat();
    const mean = flat.reduce((s, v) => s + v, 0) / flat.length;
    const variance = flat.reduce((s, v) => s + (v - mean) ** 2, 0) / flat.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    const norm = new LayerNorm([2, 3]);
    expect(Array.from(norm.weight!.variable.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(norm.bias!.variable.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    emb.dispose();
    norm.dispose();
  });

  it('Dropout keeps 1−p of the elements scaled by 1/(1−p) in training, passes through in eval, reproducibly', () => {
    const x = tf.ones([100, 100]);
    const run = (seed: number) => {
      const drop = new Dropout(0.25, { generator: new Generator(seed) });
      const y = drop.forward(x);
      const values = y.dataSync().slice();
      y.dispose();
      return values;
    };
    const a = run(5);
    expect(new Set(a)).toEqual(new Set([0, 1 / 0.75].map(Math.fround)));
    const kept = a.filter((v) => v !== 0).length / a.length;
    expect(Math.abs(kept - 0.75)).toBeLessThan(0.02);
    expect(Array.from(run(5))).toEqual(Array.from(a));
    expect(Array.from(run(6))).not.toEqual(Array.from(a));
    const drop = new Dropout(0.25).eval();
    const before = liveTensorCount();
    const y = drop.forward(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    y.dispose();
    expect(liveTensorCount()).toBe(before);
    x.dispose();
  });
});
