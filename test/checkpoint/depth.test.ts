/**
 * One depth limit (MAX_STATE_DEPTH) and one header budget (MAX_HEADER_NODES), shared by writer and reader: every
 * state a save accepts loads back, and a state a load would refuse is refused by the save, with `invalid-state` and
 * the path, before any file is touched.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AsyncCheckpointSaver,
  loadCheckpoint,
  MAX_HEADER_NODES,
  saveCheckpoint,
  serializeCheckpoint,
  deserializeCheckpoint,
  type StateTree,
} from '../../src/checkpoint/index.js';
import { MAX_STATE_DEPTH } from '../../src/state/limits.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** A tree of `levels` nested objects (the root is level 1), with a number at the bottom. */
function nested(levels: number): StateTree {
  let value: StateTree = { leaf: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('depth', () => {
  it(`saves and loads a tree exactly MAX_STATE_DEPTH (${MAX_STATE_DEPTH}) levels deep, tensors at the bottom included`, async () => {
    const path = join(tempDir(), 'deep.ckpt');
    let tree: StateTree = { w: tensor('float32', [1], [5]) };
    for (let i = 1; i < MAX_STATE_DEPTH; i++) tree = { a: tree };
    await saveCheckpoint(path, tree);
    expect(await loadCheckpoint(path)).toEqual(tree);
  });

  it.each([MAX_STATE_DEPTH + 1, 1715, 4000, 100_000])(
    'refuses to save a tree %i levels deep, naming the path, and keeps the old checkpoint',
    async (levels) => {
      const dir = tempDir();
      const path = join(dir, 'last.ckpt');
      await saveCheckpoint(path, { step: 1 });
      const tree = nested(levels);
      const where = `state${'.a'.repeat(MAX_STATE_DEPTH)}`;
      await expect(saveCheckpoint(path, tree)).rejects.toMatchObject({
        reason: 'invalid-state',
        message: expect.stringContaining(`cannot store ${where}: it nests deeper than ${MAX_STATE_DEPTH} levels`),
      });
      expect(() => serializeCheckpoint(tree)).toThrow(expect.objectContaining({ reason: 'invalid-state' }));
      expect(await loadCheckpoint(path)).toEqual({ step: 1 });
      expect(readdirSync(dir)).toEqual(['last.ckpt']);
    },
  );

  it('is refused by AsyncCheckpointSaver.save itself, as invalid-state, and nothing is written', async () => {
    const dir = tempDir();
    const saver = new AsyncCheckpointSaver();
    await expect(saver.save(join(dir, 'a.ckpt'), nested(1715))).rejects.toMatchObject({ reason: 'invalid-state' });
    await saver.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('header size in values', () => {
  // Header values besides the tree: the header, __metadata__, 6 metadata strings (format, version, checksum, tree, the
  // two digests), the digest list.
  const OVERHEAD = 9;
  const numbers = (count: number): StateTree => ({ a: Array.from({ length: count }, (_, i) => i) });

  it('saves a state whose header holds exactly MAX_HEADER_NODES values, which loads back', () => {
    const tree = numbers(MAX_HEADER_NODES - OVERHEAD - 2);
    expect(deserializeCheckpoint(Buffer.concat(serializeCheckpoint(tree)))).toEqual(tree);
  });

  it('refuses one value more, before touching the file', async () => {
    const dir = tempDir();
    const tree = numbers(MAX_HEADER_NODES - OVERHEAD - 1);
    expect(() => serializeCheckpoint(tree)).toThrow(expect.objectContaining({ reason: 'invalid-state', message: expect.stringContaining('MAX_HEADER_NODES') }));
    await expect(saveCheckpoint(join(dir, 'x.ckpt'), tree)).rejects.toMatchObject({ reason: 'invalid-state' });
    await expect(new AsyncCheckpointSaver().save(join(dir, 'y.ckpt'), tree)).rejects.toMatchObject({ reason: 'invalid-state' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts tensor entries as the reader does: a file of many tensors exactly at the limit loads, one value more is refused', () => {
    // Each rank-40 tensor: its entry (6 + 40 values), its CRC, and its marker in the tree ({"$tensor": name}: 2).
    const shape = [0, ...Array<number>(39).fill(1)];
    const perTensor = 6 + shape.length + 1 + 2;
    const count = Math.floor((MAX_HEADER_NODES - OVERHEAD - 2) / perTensor);
    const tree: Record<string, StateTree[string]> = {};
    for (let i = 0; i < count; i++) tree[`t${i}`] = tensor('uint8', shape, []);
    // The root object and the `pad` array take 2 values; the numbers in `pad` fill the budget exactly.
    const pad = MAX_HEADER_NODES - OVERHEAD - 2 - count * perTensor;
    tree['pad'] = Array<number>(pad).fill(0);
    expect(Object.keys(deserializeCheckpoint(Buffer.concat(serializeCheckpoint(tree)))).length).toBe(count + 1);
    tree['pad'] = Array<number>(pad + 1).fill(0);
    expect(() => serializeCheckpoint(tree)).toThrow(expect.objectContaining({ reason: 'invalid-state' }));
  });
});
