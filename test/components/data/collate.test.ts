import { describe, expect, it } from 'vitest';
import { CollateError, defaultCollate, tensor } from '../../../src/index.js';
import { tf } from './tf-backend.js';

const values = (t: unknown) => [...(t as tf.Tensor).dataSync()];

describe('defaultCollate', () => {
  it('stacks numbers, booleans, typed arrays and Tensors with a batch dimension; keeps strings', () => {
    const batch = defaultCollate([
      { x: 1.5, flag: true, name: 'a', pixels: new Uint8Array([1, 2, 3]), w: tensor('float64', [2], [0.5, 1]), label: tensor('int32', [], [7]) },
      { x: 2, flag: false, name: 'b', pixels: new Uint8Array([4, 5, 6]), w: tensor('float64', [2], [2, 3]), label: tensor('int32', [], [8]) },
    ]);
    expect([batch.x.dtype, batch.x.shape, values(batch.x)]).toEqual(['float32', [2], [1.5, 2]]);
    expect([batch.flag.dtype, values(batch.flag)]).toEqual(['bool', [1, 0]]);
    expect(batch.name).toEqual(['a', 'b']);
    expect([batch.pixels.dtype, batch.pixels.shape, values(batch.pixels)]).toEqual(['int32', [2, 3], [1, 2, 3, 4, 5, 6]]);
    expect([batch.w.dtype, batch.w.shape, values(batch.w)]).toEqual(['float32', [2, 2], [0.5, 1, 2, 3]]);
    expect([batch.label.dtype, batch.label.shape, values(batch.label)]).toEqual(['int32', [2], [7, 8]]);
    tf.dispose(batch);
  });

  it('collates tuples position by position, nested objects field by field, and tfjs tensors with tf.stack', () => {
    const a = tf.tensor([[1, 2]]);
    const b = tf.tensor([[3, 4]]);
    const batch = defaultCollate([
      [a, { inner: { v: 1 } }],
      [b, { inner: { v: 2 } }],
    ] as const);
    expect([batch[0].shape, values(batch[0])]).toEqual([[2, 1, 2], [1, 2, 3, 4]]);
    expect(values(batch[1].inner.v)).toEqual([1, 2]);
    expect(a.isDisposed || b.isDisposed).toBe(false);
    tf.dispose([a, b, batch]);
  });

  it.each([
    ['a different field kind', [{ x: 1 }, { x: 'one' }], 'Cannot collate batch: sample 1 (dataset index 41), field x: a string, expected a number as in sample 0'],
    ['different keys', [{ x: 1, y: 2 }, { x: 1, z: 2 }], 'sample 1 (dataset index 41): keys differ from sample 0: lacks y and has extra z'],
    ['typed arrays of different lengths', [{ p: new Float32Array(3) }, { p: new Float32Array(4) }], 'field p: a Float32Array of length 4, expected a Float32Array of length 3 as in sample 0'],
    ['Tensors of different shapes', [[tensor('float32', [2, 2], [1, 2, 3, 4])], [tensor('float32', [4], [1, 2, 3, 4])]], 'field [0]: Tensor<float32>[4], expected Tensor<float32>[2, 2] as in sample 0'],
    ['Tensors of different dtypes', [{ t: tensor('int32', [1], [1]) }, { t: tensor('uint8', [1], [1]) }], 'field t: Tensor<uint8>[1], expected Tensor<int32>[1] as in sample 0'],
    ['tuples of different lengths', [[1, 2], [1]], 'sample 1 (dataset index 41): an array of length 1, expected an array of length 2 as in sample 0'],
    ['a missing nested field', [{ m: { a: 1 } }, { m: null }], 'field m: null, expected an object as in sample 0'],
    ['an int32 overflow', [{ big: new Uint32Array([2 ** 31]) }, { big: new Uint32Array([1]) }], 'sample 0 (dataset index 40), field big: value 2147483648 does not fit int32'],
    ['an unsupported value', [{ when: new Date(0) }, { when: new Date(1) }], 'field when: a Date instance cannot be collated'],
    ['a half-precision Tensor', [{ h: tensor('float16', [1], [0]) }], 'field h: Tensor<float16>[1]: convert float16 to float32 first'],
  ])('names the sample and the field for %s', (_what, samples, message) => {
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      defaultCollate(samples as unknown[], [40, 41]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CollateError);
    expect((error as Error).message).toContain(message);
    // Tensors made for fields collated before the failing one are disposed.
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mismatched tfjs tensors are an error naming both shapes', () => {
    const a = tf.zeros([2]);
    const b = tf.zeros([3]);
    expect(() => defaultCollate([a, b])).toThrow('Cannot collate batch: sample 1: tfjs tensor float32[3], expected float32[2] as in sample 0');
    tf.dispose([a, b]);
  });
});
