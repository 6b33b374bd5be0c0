import { describe, expect, it } from 'vitest';
import {
  ArrayDataset,
  CollateError,
  ConcatDataset,
  DataConfigError,
  DataLoader,
  defaultCollate,
  Generator,
  randomSplit,
  seedEverything,
  Subset,
  TensorDataset,
  tensor,
} from '../../../src/index.js';
import { tf } from './tf-backend.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('map-style datasets', () => {
  it('ArrayDataset, Subset and ConcatDataset map indices', async () => {
    const a = new ArrayDataset(['a', 'b', 'c']);
    const b = new ArrayDataset(['d']);
    const c = new ArrayDataset(['e', 'f']);
    const all = new ConcatDataset([a, b, c]);
    expect(all.length).toBe(6);
    expect(range(6).map((i) => all.get(i))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    const subset = new Subset(all, [5, 0, 3]);
    expect([subset.length, subset.get(0), subset.get(1), subset.get(2)]).toEqual([3, 'f', 'a', 'd']);
    expect(() => all.get(6)).toThrow('ConcatDataset.get: index 6 is out of range for 6 samples');
    expect(() => new Subset(all, [1, 9])).toThrow('Subset (position 1): index 9 is out of range for 6 samples');
    expect(() => a.get(1.5)).toThrow('index 1.5 is out of range');
    expect(() => new ConcatDataset([])).toThrow(DataConfigError);
  });

  it('passes promises from async datasets through', async () => {
    const slow = { length: 2, get: (i: number) => Promise.resolve(i * 10) };
    expect(await new Subset(slow, [1]).get(0)).toBe(10);
  });
});

describe('TensorDataset', () => {
  it('views rows of Tensor and typed-array columns as Tensors, as a tuple or a record', () => {
    const x = tensor('float32', [3, 2], [0, 1, 2, 3, 4, 5]);
    const y = new Uint8Array([7, 8, 9]);
    const tuple = new TensorDataset([x, y]);
    const [row, label] = tuple.get(2);
    expect([row.dtype, row.shape, [...row.data]]).toEqual(['float32', [2], [4, 5]]);
    expect([label.dtype, label.shape, [...label.data]]).toEqual(['uint8', [], [9]]);
    expect(row.data.buffer).toBe(x.data.buffer);
    const record = new TensorDataset({ x, y });
    expect([...record.get(1).x.data, ...record.get(1).y.data]).toEqual([2, 3, 8]);
  });

  it('copies tfjs tensor columns to host memory once', () => {
    const images = tf.tensor([[1, 2], [3, 4]]);
    const labels = tf.tensor([1, 0], [2], 'int32');
    const ds = new TensorDataset({ images, labels });
    tf.dispose([images, labels]);
    expect([...ds.get(1).images.data, ds.get(1).labels.dtype]).toEqual([3, 4, 'int32']);
  });

  it('getBatch gives exactly what defaultCollate makes of the samples, for every column dtype', () => {
    const n = 6;
    const ds = new TensorDataset({
      f32: tensor('float32', [n, 2], range(12).map((v) => v / 3)),
      f64: new Float64Array(range(n).map((v) => v / 7)),
      u8: tensor('uint8', [n, 1, 2], range(12)),
      i16: new Int16Array(range(n).map((v) => -v)),
      u32: new Uint32Array(range(n)),
      i64: new BigInt64Array(range(n).map((v) => BigInt(v - 3))),
      flag: tensor('bool', [n], [1, 0, 1, 1, 0, 0]),
    });
    const indices = Int32Array.from([5, 0, 3, 3]);
    const fast = ds.getBatch(indices);
    const slow = defaultCollate([...indices].map((i) => ds.get(i)));
    for (const key of Object.keys(slow) as (keyof typeof slow)[]) {
      expect([fast[key].dtype, fast[key].shape, [...fast[key].dataSync()]], key).toEqual([slow[key].dtype, slow[key].shape, [...slow[key].dataSync()]]);
    }
    tf.dispose([fast, slow]);
    const before = tf.memory().numTensors;
    const big = new TensorDataset([new Float32Array(2), new Uint32Array([1, 2 ** 31])]);
    expect(() => big.getBatch(Int32Array.from([0, 1]))).toThrow(CollateError);
    expect(() => big.getBatch(Int32Array.from([0, 1]))).toThrow('sample 1 (dataset index 1), field [1]: value 2147483648 does not fit int32');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a Subset of a TensorDataset fetches batches through it, mapping the indices', async () => {
    const ds = new TensorDataset({ v: new Int32Array([10, 11, 12, 13]) });
    const subset = new Subset(ds, [3, 1]);
    const batch = (await subset.getBatch!(Int32Array.from([1, 0, 1]))) as { v: tf.Tensor };
    expect([...batch.v.dataSync()]).toEqual([11, 13, 11]);
    expect(() => subset.getBatch!(Int32Array.from([2]))).toThrow('Subset.getBatch: index 2 is out of range for 2 samples');
    expect(new Subset(new ArrayDataset([1]), [0]).getBatch).toBeUndefined();
    tf.dispose(batch);
  });

  it('a loader with the default collate uses getBatch; a custom collate gets samples', async () => {
    const ds = new TensorDataset([new Float32Array([1, 2, 3])]);
    let fetched = 0;
    const original = ds.getBatch.bind(ds);
    ds.getBatch = (indices) => {
      fetched += 1;
      return original(indices);
    };
    for await (const _ of new DataLoader(ds, { batchSize: 2 })) void _;
    expect(fetched).toBe(2);
    const seen: number[] = [];
    for await (const batch of new DataLoader(ds, { batchSize: 2, collate: (samples) => samples.map(([t]) => t.data[0]!) })) seen.push(...batch);
    expect([fetched, seen]).toEqual([2, [1, 2, 3]]);
  });

  it('refuses columns of different lengths, scalars and unsupported dtypes', () => {
    expect(() => new TensorDataset({ x: new Float32Array(3), y: new Int32Array(4) })).toThrow(
      'TensorDataset: column y has 4 rows, column x has 3; every column needs one row per sample',
    );
    expect(() => new TensorDataset([tensor('float32', [], [1])])).toThrow('column [0] is a scalar');
    expect(() => new TensorDataset({})).toThrow('at least one column');
    const strings = tf.tensor(['a']);
    expect(() => new TensorDataset({ s: strings })).toThrow('column s is a tfjs string tensor');
    strings.dispose();
  });
});

describe('randomSplit', () => {
  const dataset = new ArrayDataset(range(100));
  const contents = (parts: Subset<number>[]) => parts.map((p) => [...p.indices]);

  it('gives disjoint subsets covering the dataset, with torch’s lengths', () => {
    const parts = randomSplit(dataset, [0.8, 0.2], new Generator(1));
    expect(parts.map((p) => p.length)).toEqual([80, 20]);
    expect(contents(parts).flat().sort((a, b) => a - b)).toEqual(range(100));
    expect(randomSplit(dataset, [30, 70], new Generator(1)).map((p) => p.length)).toEqual([30, 70]);
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    const a = contents(randomSplit(dataset, [0.5, 0.5], new Generator(1)));
    expect(contents(randomSplit(dataset, [0.5, 0.5], new Generator(1)))).toEqual(a);
    expect(contents(randomSplit(dataset, [0.5, 0.5], new Generator(2)))).not.toEqual(a);
    seedEverything(3);
    const fromDefault = contents(randomSplit(dataset, [0.5, 0.5]));
    seedEverything(3);
    expect(contents(randomSplit(dataset, [0.5, 0.5]))).toEqual(fromDefault);
  });

  it('refuses lengths that fit neither rule', () => {
    expect(() => randomSplit(dataset, [50, 49])).toThrow('must be sample counts adding up to the dataset\'s 100 samples, or fractions adding up to 1');
    expect(() => randomSplit(dataset, [0.5, 0.6])).toThrow(DataConfigError);
    expect(() => randomSplit(dataset, [-1, 101])).toThrow('non-negative');
  });
});
