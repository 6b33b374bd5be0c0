/**
 * Precision plugins. DynamicLossScaling's state is checked against torch's GradScaler.state_dict()
 * (test/fixtures/torch/grad-scaler.json). Its scale updates cannot be recorded from torch 1.13 here (no CPU kernel for
 * `_amp_update_scale_`; see scripts/python/reference_precision.py), so those tests check the behaviour GradScaler's
 * documentation specifies, step by step, with the expected values worked out in the test names' scenarios.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, disposeTensors, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { mseLoss } from '../../../src/components/nn/functional/index.js';
import type { GradientMap } from '../../../src/components/optim/functional/index.js';
import { DynamicLossScaling, Precision, Precision32, type TorchGradScalerState } from '../../../src/components/precision/index.js';
import { type Fixture, loadFixture } from '../../fixtures/torch/read-fixture.js';

const torch = loadFixture<Fixture & {
  default: TorchGradScalerState;
  custom: { options: { initScale: number; growthFactor: number; backoffFactor: number; growthInterval: number }; stateDict: TorchGradScalerState };
  resumed: TorchGradScalerState;
}>('grad-scaler.json');

describe('DynamicLossScaling state maps to torch GradScaler.state_dict()', () => {
  it('has torch defaults and, under torch names, the same dict', () => {
    const scaling = new DynamicLossScaling();
    expect(scaling.torchStateDict()).toEqual(torch.default);
    expect(scaling.stateDict()).toEqual({ scale: 65536, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000, growthTracker: 0 });
    expect(new DynamicLossScaling(torch.custom.options).torchStateDict()).toEqual(torch.custom.stateDict);
  });

  it("loads a torch GradScaler's state dict as it is (torch's keys are accepted names)", () => {
    const scaling = new DynamicLossScaling();
    expect(scaling.loadStateDict(torch.resumed as never)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(scaling.torchStateDict()).toEqual(torch.resumed);
    expect(scaling.growthTracker).toBe(17);
  });

  it('the base plugins have empty state and the checkpoint hooks', () => {
    for (const plugin of [new Precision(), new Precision32()]) {
      expect(plugin.stateDict()).toEqual({});
      expect(plugin.precision).toBe('32-true');
      const checkpoint = { state: 1 };
      plugin.onSaveCheckpoint(checkpoint);
      plugin.onLoadCheckpoint(checkpoint);
      expect(checkpoint).toEqual({ state: 1 });
    }
  });
});

function quadraticGrads(w: tf.Variable, scaleLoss: (loss: tf.Tensor) => tf.Tensor): GradientMap {
  const { value, grads } = tf.variableGrads(() => scaleLoss(mseLoss(w, tf.zerosLike(w))) as tf.Scalar, [w]);
  value.dispose();
  return grads;
}

describe.each<BackendName>(['cpu', 'wasm'])('DynamicLossScaling on %s', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it('scales the loss, then unscales the gradients back exactly (power-of-two scale), and steps', () => {
    const w = tf.variable(tf.tensor1d([0.1, -2, 3.5]));
    const plain = quadraticGrads(w, (l) => l);
    const scaling = new DynamicLossScaling();
    const grads = quadraticGrads(w, (l) => scaling.scaleLoss(l));
    expect(Array.from(grads[w.name]!.dataSync())).toEqual(Array.from(plain[w.name]!.dataSync()).map((g) => g * 65536));
    let stepped: Float32Array | undefined;
    expect(scaling.optimizerStep(grads, (g) => (stepped = g[w.name]!.dataSync() as Float32Array))).toBe(true);
    expect(Array.from(stepped!)).toEqual(Array.from(plain[w.name]!.dataSync()));
    expect(scaling.stateDict()).toMatchObject({ scale: 65536, growthTracker: 1 });
    disposeTensors(grads);
    disposeTensors(plain);
    w.dispose();
  });

  it('skips a step whose scaled gradients overflow, and backs the scale off', () => {
    const before = liveTensorCount();
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1e34, 1])));
    const scaling = new DynamicLossScaling({ growthInterval: 3 });
    scaling.growthTracker = 2;
    const grads = quadraticGrads(w, (l) => scaling.scaleLoss(l));
    let calls = 0;
    expect(scaling.optimizerStep(grads, () => calls++)).toBe(false);
    expect(calls).toBe(0);
    expect(scaling.stateDict()).toMatchObject({ scale: 32768, growthTracker: 0 });
    disposeTensors(grads);
    w.dispose();
    expect(liveTensorCount()).toBe(before);
  });

  it('grows the scale after growthInterval finite steps in a row, and restarts the count', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const scaling = new DynamicLossScaling({ initScale: 8, growthInterval: 3 });
    const seen: [number, number][] = [];
    for (let i = 0; i < 7; i++) {
      const grads = quadraticGrads(w, (l) => scaling.scaleLoss(l));
      scaling.optimizerStep(grads, () => {});
      seen.push([scaling.scale, scaling.growthTracker]);
      disposeTensors(grads);
    }
    expect(seen).toEqual([[8, 1], [8, 2], [16, 0], [16, 1], [16, 2], [32, 0], [32, 1]]);
    w.dispose();
  });

  it('unscales once when the trainer unscaled before clipping, and refuses a second unscale in a step', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const scaling = new DynamicLossScaling({ initScale: 4 });
    const grads = quadraticGrads(w, (l) => scaling.scaleLoss(l));
    expect(scaling.unscaleGradients(grads)).toBe(true);
    expect(() => scaling.unscaleGradients(grads)).toThrow(/already called/);
    let seen: number[] = [];
    scaling.optimizerStep(grads, (g) => (seen = Array.from(g[w.name]!.dataSync())));
    expect(seen).toEqual([1, 2]);
    disposeTensors(grads);
    w.dispose();
  });
});

describe('DynamicLossScaling scale arithmetic', () => {
  it('keeps the scale a float32 value, as torch keeps it in a float32 tensor', () => {
    const scaling = new DynamicLossScaling({ initScale: 65536, backoffFactor: 0.3 });
    scaling.update(true);
    expect(scaling.scale).toBe(Math.fround(65536 * 0.3));
    expect(scaling.scale).not.toBe(65536 * 0.3);
  });

  it('does not grow the scale into an overflow', () => {
    const scaling = new DynamicLossScaling({ initScale: 2 ** 127, growthInterval: 1 });
    scaling.update(false);
    expect(scaling.scale).toBe(2 ** 127);
    expect(scaling.growthTracker).toBe(0);
  });

  it('refuses arguments torch refuses', () => {
    expect(() => new DynamicLossScaling({ growthFactor: 1 })).toThrow('growthFactor must be > 1');
    expect(() => new DynamicLossScaling({ backoffFactor: 1 })).toThrow('backoffFactor must be < 1');
    expect(() => new DynamicLossScaling({ growthInterval: 0 })).toThrow('growthInterval must be a positive integer');
  });
});
