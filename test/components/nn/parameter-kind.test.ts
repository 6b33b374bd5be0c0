/**
 * Parameters through the state layer (the kindling.Parameter and kindling.Buffer value kinds): a layer's state is
 * its parameters as Tensors; a load checks dtype and shape against the live parameter with both in the message,
 * refuses non-tensors, never drops or creates a parameter, and keeps strict/non-strict missing-key semantics.
 * Buffers (optimizer state) may be created by a load. Both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine } from '../../../src/components/engine/index.js';
import { LayerNorm, Linear, Parameter } from '../../../src/components/nn/index.js';
import { SGD } from '../../../src/components/optim/index.js';
import { Generator } from '../../../src/components/rng/index.js';
import { StateError, tensorEquals } from '../../../src/state/index.js';

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(StateError);
    return (error as Error).message;
  }
  throw new Error('the load was accepted');
}

describe.each<BackendName>(['cpu', 'wasm'])('parameters in state on %s', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it("a layer's state is its parameters as kindling Tensors, equal to the variables", () => {
    const layer = new Linear(3, 2, { generator: new Generator(1) });
    const state = layer.stateDict();
    expect(Object.keys(state)).toEqual(['weight', 'bias']);
    expect(state.weight).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(Array.from(state.weight.data as Float32Array)).toEqual(Array.from(layer.weight.variable.dataSync()));
    layer.dispose();
  });

  it('refuses a wrong dtype, a wrong shape and a non-tensor with the path and both descriptions; changes nothing', () => {
    const layer = new Linear(3, 2, { generator: new Generator(1) });
    const before = layer.stateDict();
    const int32 = { dtype: 'int32', shape: [2, 3], data: new Int32Array(6) };
    expect(refusal(() => layer.loadStateDict({ weight: int32, bias: before.bias } as never))).toContain('Linear.weight: expected float32[2,3], got int32[2,3]');
    const wide = new Linear(4, 2).stateDict();
    expect(refusal(() => layer.loadStateDict({ weight: wide.weight, bias: wide.bias }))).toContain('Linear.weight: expected float32[2,3], got float32[2,4]');
    expect(refusal(() => layer.loadStateDict({ weight: 3, bias: before.bias } as never))).toContain('Linear.weight: expected float32[2,3], got number');
    expect(tensorEquals(layer.stateDict().weight, before.weight)).toBe(true);
    layer.dispose();
  });

  it('never drops a parameter (null bias) nor creates one', () => {
    const withBias = new Linear(3, 2);
    const without = new Linear(3, 2, { bias: false });
    expect(refusal(() => withBias.loadStateDict({ ...withBias.stateDict(), bias: null }))).toContain('Linear.bias: expected float32[2] (this Linear has a bias), got null');
    expect(withBias.bias).not.toBeNull();
    expect(refusal(() => without.loadStateDict(withBias.stateDict()))).toContain('Linear.bias: expected a live Parameter to load into');
    expect(without.bias).toBeNull();
    const norm = new LayerNorm(4);
    expect(refusal(() => norm.loadStateDict({ weight: null, bias: norm.stateDict().bias }))).toContain('LayerNorm.weight: expected float32[4] (this LayerNorm has a weight), got null');
    [withBias, without, norm].forEach((m) => m.dispose());
  });

  it('loads in place (same variable) and keeps missing-key semantics: strict refuses, non-strict reports', () => {
    const a = new Linear(3, 2, { generator: new Generator(1) });
    const b = new Linear(3, 2, { generator: new Generator(2) });
    const variable = b.weight.variable;
    expect(refusal(() => b.loadStateDict({ weight: a.stateDict().weight } as never))).toContain('Linear.bias: missing');
    expect(b.loadStateDict({ weight: a.stateDict().weight } as never, { strict: false })).toEqual({ missingKeys: ['Linear.bias'], unexpectedKeys: [] });
    expect(b.weight.variable).toBe(variable);
    expect(Array.from(variable.dataSync())).toEqual(Array.from(a.weight.variable.dataSync()));
    a.dispose();
    b.dispose();
  });

  it("an optimizer's buffers are created by a load into a fresh optimizer, and the state is keyed by name", () => {
    const p = Parameter.fromInit(() => tf.ones([2]));
    const first = new SGD([['w', p]], { lr: 0.1, momentum: 0.9 });
    const g = tf.ones([2]);
    first.step({ w: g });
    const fresh = new SGD([['w', p]], { lr: 0.1, momentum: 0.9 });
    fresh.loadStateDict(first.stateDict());
    expect(fresh.state.w!.momentumBuffer).not.toBe(first.state.w!.momentumBuffer);
    expect(Array.from(fresh.state.w!.momentumBuffer!.variable.dataSync())).toEqual([1, 1]);
    const other = new SGD([['v', p]], { lr: 0.1, momentum: 0.9 });
    expect(refusal(() => other.loadStateDict(first.stateDict()))).toMatch(/SGD\.paramGroups\[0\]\.params: expected v, got w/);
    expect(other.state).toEqual({});
    [first, fresh, other].forEach((o) => o.dispose());
    tf.dispose([g]);
    p.dispose();
  });
});
