/**
 * clipGradNorm and clipGradValue against torch 1.13's clip_grad_norm_ / clip_grad_value_
 * (test/fixtures/torch/clipping.json from scripts/python/reference_clipping.py), on both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, disposeTensors, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { clipGradNorm, clipGradValue, type GradientMap, NonFiniteGradientError } from '../../../src/components/optim/functional/index.js';
import { expectMatches, expectNumberMatches, type Fixture, type FixtureNumber, type FixtureTensor, loadFixture, num, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

interface ClipCase {
  kind: 'norm' | 'value';
  name: string;
  grads: Record<string, FixtureTensor>;
  maxNorm?: number;
  normType?: FixtureNumber;
  errorIfNonfinite?: boolean;
  clipValue?: number;
  raises?: boolean;
  totalNorm?: FixtureNumber;
  clipped?: Record<string, FixtureTensor>;
}
const fixture = loadFixture<Fixture & { cases: ClipCase[] }>('clipping.json');

function gradsOf(c: ClipCase): GradientMap {
  return Object.fromEntries(Object.entries(c.grads).map(([n, t]) => [n, tfTensorOf(t)]));
}

describe.each<BackendName>(['cpu', 'wasm'])('clipping on %s matches torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const before = liveTensorCount();
    const grads = gradsOf(c);
    if (c.kind === 'value') {
      clipGradValue(grads, c.clipValue!);
    } else if (c.raises) {
      const originals = { ...grads };
      expect(() => clipGradNorm(grads, c.maxNorm!, { normType: num(c.normType!), errorIfNonfinite: true })).toThrow(NonFiniteGradientError);
      expect(grads, 'refused gradients are left as they were').toEqual(originals);
    } else {
      const total = clipGradNorm(grads, c.maxNorm!, { normType: num(c.normType!), errorIfNonfinite: c.errorIfNonfinite ?? false });
      expectNumberMatches(`${c.name} total norm`, total, c.totalNorm!);
    }
    for (const [name, expected] of Object.entries(c.clipped ?? {})) expectMatches(`${c.name} ${name}`, grads[name]!, expected);
    disposeTensors(grads);
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });
});

describe('clipping errors', () => {
  it('names the non-finite gradients', async () => {
    await initEngine({ backend: 'cpu' });
    const grads: GradientMap = { a: tf.tensor1d([1, 2]), b: tf.tensor1d([Number.POSITIVE_INFINITY, 0]) };
    try {
      clipGradNorm(grads, 1, { errorIfNonfinite: true });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NonFiniteGradientError);
      expect((error as NonFiniteGradientError).names).toEqual(['b']);
      expect((error as Error).message).toBe(
        'clipGradNorm: the total gradient norm of order 2 is Infinity, so it cannot be clipped (non-finite gradients: b); pass errorIfNonfinite: false to scale by it anyway',
      );
    }
    expect(clipGradNorm({}, 1)).toBe(0);
    expect(() => clipGradNorm(grads, 1, { normType: 0 })).toThrow(new RangeError('clipGradNorm: normType must be > 0 or Infinity, got 0'));
    disposeTensors(grads);
  });
});
