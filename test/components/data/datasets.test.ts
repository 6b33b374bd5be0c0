import { describe, expect, it } from 'vitest';
import {
  ArrayDataset,
  ConcatDataset,
  DataConfigError,
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
