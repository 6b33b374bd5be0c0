import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import { tensor, zeros, type Tensor } from '../../src/state/tensor.js';
import { treeDifference, useTempDir } from './helpers.js';
import { readFileSync, writeFileSync } from 'node:fs';

const tempDir = useTempDir();

describe('in-place load (into)', () => {
  it('fills the existing typed arrays: same objects, new contents', async () => {
    const path = join(tempDir(), 'inplace.ckpt');
    const saved = {
      model: { weight: tensor('float32', [2, 2], [1, 2, 3, 4]), steps: tensor('int64', [1], [42]) },
      epoch: 7,
    };
    await saveCheckpoint(path, saved);

    const weight = zeros('float32', [2, 2]);
    const steps = zeros('int64', [1]);
    const weightData = weight.data;
    const loaded = (await loadCheckpoint(path, { into: { model: { weight, steps } } })) as {
      model: { weight: Tensor; steps: Tensor };
      epoch: number;
    };
    expect(loaded.model.weight).toBe(weight);
    expect(loaded.model.steps).toBe(steps);
    expect(weight.data).toBe(weightData);
    expect(Array.from(weight.data as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(steps.data[0]).toBe(42n);
    expect(loaded.epoch).toBe(7);
  });

  it('gives fresh tensors where the target is missing or has another dtype or shape, and leaves those targets alone', async () => {
    const path = join(tempDir(), 'mismatch.ckpt');
    const saved = { a: tensor('float32', [3], [1, 2, 3]), b: tensor('float32', [2], [4, 5]), c: tensor('int32', [1], [6]) };
    await saveCheckpoint(path, saved);
    const wrongShape = zeros('float32', [3, 1]);
    const wrongDtype = zeros('float64', [2]);
    const loaded = await loadCheckpoint(path, { into: { a: wrongShape, b: wrongDtype } });
    expect(treeDifference(loaded, saved)).toBeNull();
    expect(loaded['a']).not.toBe(wrongShape);
    expect(loaded['b']).not.toBe(wrongDtype);
    expect(Array.from(wrongShape.data as Float32Array)).toEqual([0, 0, 0]);
  });

  it('checks every checksum before writing into any target, so a corrupt file changes nothing', async () => {
    const path = join(tempDir(), 'corrupt.ckpt');
    await saveCheckpoint(path, { first: tensor('uint8', [4], [1, 2, 3, 4]), last: tensor('uint8', [4], [5, 6, 7, 8]) });
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    const first = tensor('uint8', [4], [9, 9, 9, 9]);
    const last = tensor('uint8', [4], [9, 9, 9, 9]);
    const into: StateTree = { first, last };
    await expect(loadCheckpoint(path, { into })).rejects.toBeInstanceOf(CheckpointError);
    expect(Array.from(first.data)).toEqual([9, 9, 9, 9]);
    expect(Array.from(last.data)).toEqual([9, 9, 9, 9]);
  });

  it('loads everything into fresh per-tensor memory with an empty target (the path taken for files over 4 GiB)', async () => {
    const path = join(tempDir(), 'fresh.ckpt');
    const saved = { a: tensor('int64', [2], [1, -1]), b: { c: tensor('float16', [3], [1, 2, 3]) }, n: Number.NaN };
    await saveCheckpoint(path, saved);
    const loaded = await loadCheckpoint(path, { into: {} });
    expect(treeDifference(loaded, saved)).toBeNull();
    expect((loaded['a'] as Tensor).data.buffer).not.toBe(((loaded['b'] as { c: Tensor }).c).data.buffer);
  });

  it('reports progress up to the total', async () => {
    const path = join(tempDir(), 'progress.ckpt');
    await saveCheckpoint(path, { w: zeros('float64', [1000]) });
    const calls: [number, number][] = [];
    await loadCheckpoint(path, { into: { w: zeros('float64', [1000]) }, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls.at(-1)).toEqual([8000, 8000]);
  });
});
