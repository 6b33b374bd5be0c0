import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deserializeCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  serializeCheckpoint,
  type StateTree,
  type StateValue,
} from '../../src/checkpoint/index.js';
import { DTYPES, isTensor, tensor, zeros, type Tensor } from '../../src/state/tensor.js';
import { treeArb, WEIRD_KEYS } from './arbitraries.js';
import { treeDifference, useTempDir } from './helpers.js';

const tempDir = useTempDir();

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

async function throughFile(tree: StateTree): Promise<StateTree> {
  const path = join(tempDir(), 'state.ckpt');
  await saveCheckpoint(path, tree);
  return loadCheckpoint(path);
}

/** Edge values per dtype, as raw numbers or bigints. */
const EDGE_VALUES: Record<string, (number | bigint)[]> = {
  float64: [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MIN_VALUE, -Number.MAX_VALUE],
  float32: [0, -0, 3.25, Number.NaN, Number.POSITIVE_INFINITY, -1e-40, 3.4e38],
  float16: [0x0000, 0x8000, 0x3c00, 0x7c00, 0xfc00, 0x7e00, 0x0001, 0xffff],
  bfloat16: [0x0000, 0x8000, 0x3f80, 0x7f80, 0x7fc1, 0xffff],
  int64: [0n, -1n, 9223372036854775807n, -9223372036854775808n],
  int32: [0, -1, 2147483647, -2147483648],
  int16: [0, -1, 32767, -32768],
  int8: [0, -1, 127, -128],
  uint64: [0n, 1n, 18446744073709551615n],
  uint32: [0, 1, 4294967295],
  uint16: [0, 1, 65535],
  uint8: [0, 1, 255],
  bool: [0, 1, 1, 0, 1],
};

describe('checkpoint round trip', () => {
  it('compares trees strictly (the comparison used below can fail)', () => {
    expect(treeDifference({ a: 0 }, { a: -0 })).not.toBeNull();
    expect(treeDifference({ t: tensor('float32', [1], [Number.NaN]) }, { t: tensor('float32', [1], [1]) })).not.toBeNull();
    expect(treeDifference({ a: [1] }, { a: { 0: 1 } })).not.toBeNull();
    expect(treeDifference({ a: Number.NaN }, { a: Number.NaN })).toBeNull();
  });

  it.each(DTYPES)('keeps every bit of a %s tensor (file and memory)', async (dtype) => {
    const values = EDGE_VALUES[dtype]!;
    const tree = { t: tensor(dtype, [values.length], values as number[]) };
    for (const loaded of [await throughFile(tree), deserializeCheckpoint(concat(serializeCheckpoint(tree)))]) {
      expect(treeDifference(loaded, tree)).toBeNull();
      expect((loaded['t'] as Tensor).dtype).toBe(dtype);
    }
  });

  it('keeps empty tensors (a zero dimension) and scalars (shape [])', async () => {
    const tree = {
      empty: zeros('float32', [0]),
      emptyMatrix: zeros('int64', [3, 0, 2]),
      scalar: tensor('float64', [], [Math.PI]),
      scalarBool: tensor('bool', [], [1]),
    };
    const loaded = await throughFile(tree);
    expect(treeDifference(loaded, tree)).toBeNull();
    expect((loaded['emptyMatrix'] as Tensor).shape).toEqual([3, 0, 2]);
    expect((loaded['scalar'] as Tensor).shape).toEqual([]);
  });

  it('keeps a few MiB of tensors of mixed widths, all as aligned zero-copy views of one buffer', async () => {
    const big = zeros('float32', [1024, 1024]);
    for (let i = 0; i < big.data.length; i++) big.data[i] = Math.sin(i);
    const tree = { odd: tensor('uint8', [3], [1, 2, 3]), big, wide: tensor('int64', [5], [1, 2, 3, 4, 5]), half: zeros('float16', [7]) };
    const loaded = await throughFile(tree);
    expect(treeDifference(loaded, tree)).toBeNull();
    const buffers = new Set(Object.values(loaded).map((t) => (t as Tensor).data.buffer));
    expect(buffers.size).toBe(1);
  });

  it('keeps nested trees with arrays, special numbers and every JSON kind', async () => {
    const tree: StateTree = {
      trainer: { epoch: 3, step: 1200, done: false, note: null, name: 'run-1' },
      loops: { fit: [{ total: 5, nan: Number.NaN }, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0]] },
      optimizer: { moments: [tensor('float32', [2], [1, -0]), tensor('float32', [2], [Number.NaN, 4])], lr: 1e-3 },
      deep: { a: { b: { c: { d: [[[tensor('int8', [1], [-5])]]] } } } },
    };
    expect(treeDifference(await throughFile(tree), tree)).toBeNull();
  });

  it('keeps keys that contain dots, backslashes, markers and reserved names, with their tensors', async () => {
    const tree: Record<string, StateValue> = {};
    WEIRD_KEYS.forEach((key, i) => {
      Object.defineProperty(tree, key, {
        value: { [key]: tensor('int32', [1], [i]), plain: key },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    const loaded = await throughFile(tree);
    expect(treeDifference(loaded, tree)).toBeNull();
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(Object.keys(loaded)).toEqual(expect.arrayContaining(['__proto__', '__metadata__', '$tensor']));
  });

  it('stores a tensor found at two paths once, and loads both paths as the same tensor', async () => {
    const shared = tensor('float32', [2], [1, 2]);
    const chunks = serializeCheckpoint({ encoder: { weight: shared }, decoder: { weight: shared } });
    expect(chunks).toHaveLength(2);
    const loaded = deserializeCheckpoint(concat(chunks)) as { encoder: { weight: Tensor }; decoder: { weight: Tensor } };
    expect(loaded.decoder.weight).toBe(loaded.encoder.weight);
  });

  it('round-trips arbitrary trees exactly (property)', () => {
    fc.assert(
      fc.property(treeArb, (tree) => {
        const loaded = deserializeCheckpoint(concat(serializeCheckpoint(tree)));
        expect(treeDifference(loaded, tree)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('verifies the header of a file whose empty tensors share an offset and have integer-like names', () => {
    // Found by the property above: JSON.parse lists integer-like keys first, so the reader saw tied empty tensors in
    // another order than the writer and the header checksum did not match.
    const tree = { '12': zeros('bool', [0]), 'a.b': [{ 'a.b': zeros('float64', [0]) }], '0': zeros('int32', [0, 3]) };
    expect(treeDifference(deserializeCheckpoint(concat(serializeCheckpoint(tree))), tree)).toBeNull();
  });

  it('round-trips without checksums too, and then loads with verification on', () => {
    const tree = { w: tensor('float64', [2], [1, 2]) };
    const bytes = concat(serializeCheckpoint(tree, { checksums: false }));
    expect(treeDifference(deserializeCheckpoint(bytes), tree)).toBeNull();
    expect(Buffer.from(bytes).toString('latin1')).not.toContain('crc32');
  });

  it('loads tensors that are not views into caller memory when the bytes are misaligned (copies instead)', () => {
    const tree = { w: tensor('float64', [2], [1, 2]) };
    const bytes = concat(serializeCheckpoint(tree));
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const loaded = deserializeCheckpoint(shifted);
    expect(isTensor(loaded['w'])).toBe(true);
    expect(treeDifference(loaded, tree)).toBeNull();
  });
});
