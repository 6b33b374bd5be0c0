import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitLengths } from '../../../src/components/data/random-split.js';
import { ArrayDataset, BatchSampler, DataLoader, Generator, SequentialSampler, ShardedSampler } from '../../../src/index.js';

// Recorded from torch by scripts/python/record_data_semantics.py.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-data-semantics.json', import.meta.url), 'utf8')) as {
  sharded: { n: number; numReplicas: number; dropLast: boolean; shards: number[][] }[];
  batches: { n: number; batchSize: number; dropLast: boolean; batches: number[][]; length: number }[];
  splits: { n: number; fractions: number[]; lengths: number[] }[];
};

const sized = (n: number) => ({ length: n });

describe("torch's DistributedSampler semantics", () => {
  it.each(fixture.sharded)('n $n, $numReplicas replicas, dropLast $dropLast: the same shards without shuffling', ({ n, numReplicas, dropLast, shards }) => {
    for (let rank = 0; rank < numReplicas; rank++) {
      const sampler = new ShardedSampler(sized(n), { numReplicas, rank, dropLast, shuffle: false });
      expect([...sampler.indices(0)]).toEqual(shards[rank]);
      expect(sampler.length).toBe(shards[rank]!.length);
    }
  });

  it.each(fixture.sharded)('n $n, $numReplicas replicas, dropLast $dropLast: shuffled shards take the same positions of the permutation', ({ n, numReplicas, dropLast, shards }) => {
    for (const epoch of [0, 5]) {
      const permutation = new Generator(7).derive(epoch).permutation(n);
      for (let rank = 0; rank < numReplicas; rank++) {
        const sampler = new ShardedSampler(sized(n), { numReplicas, rank, dropLast, seed: 7 });
        expect([...sampler.indices(epoch)]).toEqual(shards[rank]!.map((position) => permutation[position]));
      }
    }
  });
});

describe("torch's BatchSampler and DataLoader lengths", () => {
  it.each(fixture.batches)('n $n, batchSize $batchSize, dropLast $dropLast', async ({ n, batchSize, dropLast, batches, length }) => {
    const sampler = new BatchSampler(new SequentialSampler(sized(n)), { batchSize, dropLast });
    const epoch = sampler.epochBatches(0);
    expect(Array.from({ length: epoch.length }, (_, b) => [...epoch.at(b)])).toEqual(batches);
    expect(sampler.length).toBe(length);
    const dataset = new ArrayDataset(Array.from({ length: n }, (_, i) => i));
    if (length === 0) {
      expect(() => new DataLoader(dataset, { batchSize, dropLast })).toThrow('leave no batch');
      return;
    }
    const loader = new DataLoader(dataset, { batchSize, dropLast, collate: (s) => [...s] });
    expect(loader.length).toBe(length);
    const seen: number[][] = [];
    for await (const batch of loader) seen.push(batch);
    expect(seen).toEqual(batches);
  });
});

describe("torch's random_split lengths", () => {
  it.each(fixture.splits)('n $n, fractions $fractions', ({ n, fractions, lengths }) => {
    expect(splitLengths(n, fractions)).toEqual(lengths);
  });
});
