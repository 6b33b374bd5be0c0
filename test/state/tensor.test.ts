import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesPerElement,
  cloneTensor,
  describeTensor,
  DTYPES,
  isArrayOfDType,
  isDType,
  isTensor,
  numel,
  sameShape,
  tensor,
  tensorByteLength,
  tensorEquals,
  tensorView,
  typedArrayOver,
  zeros,
} from 'kindling';

describe('tensor helpers', () => {
  it('knows every dtype and its element size', () => {
    expect(DTYPES).toEqual(['float64', 'float32', 'float16', 'bfloat16', 'int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint16', 'uint8', 'bool']);
    expect(DTYPES.map(bytesPerElement)).toEqual([8, 4, 2, 2, 8, 4, 2, 1, 8, 4, 2, 1, 1]);
    expect(isDType('float32')).toBe(true);
    expect(isDType('float128')).toBe(false);
    expect(isDType('constructor')).toBe(false);
    expect(isDType(4)).toBe(false);
  });

  it('counts elements, with one for a scalar', () => {
    expect(numel([])).toBe(1);
    expect(numel([2, 3, 4])).toBe(24);
    expect(numel([5, 0])).toBe(0);
  });

  it('makes zero-filled tensors of the right array class for every dtype', () => {
    for (const dtype of DTYPES) {
      const t = zeros(dtype, [2, 3]);
      expect(t.data.length).toBe(6);
      expect(isArrayOfDType(dtype, t.data)).toBe(true);
      expect(tensorByteLength(t)).toBe(6 * bytesPerElement(dtype));
      expect(isTensor(t)).toBe(true);
    }
  });

  it('rejects invalid shapes', () => {
    expect(() => zeros('float32', [-1])).toThrow(RangeError);
    expect(() => zeros('float32', [1.5])).toThrow(/non-negative integer/);
  });

  it('builds from values, converting numbers for 64-bit integer dtypes', () => {
    expect(Array.from(tensor('int64', [3], [1, -2, 3]).data)).toEqual([1n, -2n, 3n]);
    expect(Array.from(tensor('uint64', [1], [2n ** 64n - 1n]).data)).toEqual([2n ** 64n - 1n]);
    expect(Array.from(tensor('bool', [2], [1, 0]).data)).toEqual([1, 0]);
    expect(() => tensor('float32', [2, 2], [1, 2, 3])).toThrow(/needs 4 values, got 3/);
  });

  it('views share memory; tensorView checks the array class and length', () => {
    const data = new Float32Array([1, 2, 3, 4]);
    const view = tensorView('float32', [2, 2], data);
    expect(view.data).toBe(data);
    expect(() => tensorView('float32', [2, 2], new Float64Array(4) as never)).toThrow(/Float64Array, expected Float32Array/);
    expect(() => tensorView('float32', [3], data)).toThrow(/4 elements/);
    const bytes = new ArrayBuffer(16);
    const over = typedArrayOver('int32', bytes, 4, 2);
    over[0] = 7;
    expect(new Int32Array(bytes)[1]).toBe(7);
  });

  it('clones into fresh memory with the same dtype, shape and bits', () => {
    const t = tensor('float64', [2], [Number.NaN, -0]);
    const c = cloneTensor(t);
    expect(c.data).not.toBe(t.data);
    expect(c.shape).not.toBe(t.shape);
    expect(tensorEquals(c, t)).toBe(true);
    c.data[0] = 1;
    expect(Number.isNaN(t.data[0])).toBe(true);
  });

  it('compares bits, not numeric closeness', () => {
    const a = tensor('float32', [2], [0, Number.NaN]);
    expect(tensorEquals(a, tensor('float32', [2], [0, Number.NaN]))).toBe(true);
    expect(tensorEquals(a, tensor('float32', [2], [-0, Number.NaN]))).toBe(false);
    expect(tensorEquals(a, tensor('float64', [2], [0, Number.NaN]))).toBe(false);
    expect(tensorEquals(tensor('int8', [2, 1], [1, 2]), tensor('int8', [1, 2], [1, 2]))).toBe(false);
    expect(sameShape([2, 1], [2, 1])).toBe(true);
    expect(sameShape([2], [2, 1])).toBe(false);
  });

  it('isTensor checks structure: dtype, shape, array class and length', () => {
    expect(isTensor({ dtype: 'float32', shape: [2], data: new Float32Array(2) })).toBe(true);
    expect(isTensor({ dtype: 'float32', shape: [3], data: new Float32Array(2) })).toBe(false);
    expect(isTensor({ dtype: 'float32', shape: [2], data: new Float64Array(2) })).toBe(false);
    expect(isTensor({ dtype: 'bool', shape: [1], data: new Uint8ClampedArray(1) })).toBe(false);
    expect(isTensor({ dtype: 'float32', shape: [-2], data: new Float32Array(0) })).toBe(false);
    expect(isTensor({ dtype: 'complex', shape: [], data: new Float32Array(1) })).toBe(false);
    expect(isTensor([1, 2])).toBe(false);
    expect(isTensor(null)).toBe(false);
  });

  it('describes tensors for messages', () => {
    expect(describeTensor(zeros('bfloat16', [3, 4]))).toBe('Tensor<bfloat16>[3, 4]');
    expect(describeTensor(zeros('int8', []))).toBe('Tensor<int8>[]');
  });

  it('tensor() then cloneTensor() round-trips any float64 values bit for bit', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 20 }), (values) => {
        const t = tensor('float64', [values.length], values);
        expect(tensorEquals(cloneTensor(t), t)).toBe(true);
        expect(Array.from(t.data)).toEqual(values);
      }),
    );
  });
});
