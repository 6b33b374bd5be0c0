/** The boundary between tfjs tensors and kindling's state Tensor: exact bits both ways, on both backends. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, EngineError, fromTfTensor, initEngine, liveTensorCount, toTfTensor } from '../../../src/components/engine/index.js';
import { DTYPES, type DType, tensor, tensorEquals, tensorView, zeros } from '../../../src/state/index.js';

/** float32 words that a careless conversion would change: NaN payloads, -0, subnormals, infinities, extremes. */
const TRICKY_WORDS = [0x7fc00001, 0xffc12345, 0x7f800001, 0x80000000, 0x00000001, 0x807fffff, 0x7f800000, 0xff800000, 0x7f7fffff, 0x3f800000];

function trickyFloats(): Float32Array {
  return new Float32Array(Uint32Array.from(TRICKY_WORDS).buffer);
}

describe.each<BackendName>(['cpu', 'wasm'])('tensor conversion on %s', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it('float32 round-trips bit for bit, NaN payloads and -0 included', () => {
    // tensorView keeps the words as given (copying through JS numbers could quiet a signalling NaN).
    const t = tensorView('float32', [2, 5], trickyFloats());
    const x = toTfTensor(t);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2, 5]);
    const back = fromTfTensor(x);
    x.dispose();
    expect(tensorEquals(back, t)).toBe(true);
    expect(Array.from(new Uint32Array(back.data.buffer))).toEqual(TRICKY_WORDS);
  });

  it('int32 and bool round-trip exactly, scalars and empty tensors too', () => {
    const cases = [
      tensor('int32', [3], [-2147483648, 0, 2147483647]),
      tensor('bool', [2, 2], [1, 0, 0, 1]),
      tensor('float32', [], [-0]),
      zeros('float32', [0, 3]),
    ];
    for (const t of cases) {
      const x = toTfTensor(t);
      expect(x.dtype).toBe(t.dtype);
      const back = fromTfTensor(x);
      x.dispose();
      expect(tensorEquals(back, t), `${t.dtype}[${t.shape.join(',')}]`).toBe(true);
    }
  });

  it('copies both ways: later writes on either side do not reach the other', () => {
    const t = tensor('float32', [3], [1, 2, 3]);
    const x = toTfTensor(t);
    t.data[0] = 99;
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    const back = fromTfTensor(x);
    back.data[1] = 42;
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    x.dispose();
  });

  it('fromTfTensor reads tfjs results (not only tensors it made) and leaves no tensor behind', () => {
    const before = liveTensorCount();
    const y = tf.tidy(() => tf.add(tf.tensor2d([[1, 2], [3, 4]]), 0.5));
    const t = fromTfTensor(y);
    y.dispose();
    expect(t).toMatchObject({ dtype: 'float32', shape: [2, 2] });
    expect(Array.from(t.data)).toEqual([1.5, 2.5, 3.5, 4.5]);
    expect(liveTensorCount()).toBe(before);
  });
});

describe('dtypes tfjs cannot hold', () => {
  it('refuses every kindling dtype but float32, int32 and bool, naming the value and what to do', () => {
    const refused = DTYPES.filter((d: DType) => !['float32', 'int32', 'bool'].includes(d));
    expect(refused).toEqual(['float64', 'float16', 'bfloat16', 'int64', 'int16', 'int8', 'uint64', 'uint32', 'uint16', 'uint8']);
    for (const dtype of refused) {
      expect(() => toTfTensor(zeros(dtype, [2]), 'fc1.weight')).toThrow(
        new EngineError(`fc1.weight: Tensor<${dtype}>[2] cannot go to tfjs, which holds only float32, int32, bool; convert it to one of those first (e.g. float32)`),
      );
    }
  });

  it('refuses a bool tensor holding a byte other than 0 or 1', () => {
    expect(() => toTfTensor(tensor('bool', [3], [0, 1, 2]), 'mask')).toThrow(new EngineError('mask: bool element 2 is 2; a bool tensor holds only 0 and 1'));
  });

  it('refuses tfjs complex64 and string tensors', async () => {
    await initEngine({ backend: 'cpu' });
    const c = tf.complex([1], [2]);
    expect(() => fromTfTensor(c, 'z')).toThrow(new EngineError('z: a tfjs complex64 tensor has no kindling dtype; kindling takes float32, int32, bool'));
    const s = tf.tensor(['a']);
    expect(() => fromTfTensor(s)).toThrow(/a tfjs string tensor has no kindling dtype/);
    tf.dispose([c, s]);
  });
});
