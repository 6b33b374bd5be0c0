/**
 * A file whose bytes and checksums are all fine but whose state tree does not match its tensor table (a reference to
 * a missing tensor, an unreferenced tensor, a malformed marker) must be refused by every reader before it changes
 * anything: verify and inspect must not pass a file that load rejects, and an in-place load must not have written
 * into its targets when it rejects one.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/checkpoint/checksum.js';
import { buildHeader } from '../../src/checkpoint/header-write.js';
import { loadCheckpoint, readCheckpointInfo, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { planLayout } from '../../src/checkpoint/layout.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** A file holding tensor `w` = [7, 8] with valid checksums, and the given tree JSON. */
function fileWithTree(tree: unknown): string {
  const w = tensor('float32', [2], [7, 8]);
  const layout = planLayout([{ name: 'w', tensor: w }]);
  const body = new Uint8Array(w.data.buffer);
  const header = buildHeader(layout, JSON.stringify(tree), [digestOf(body)]);
  const path = join(tempDir(), 'crafted.ckpt');
  writeFileSync(path, Buffer.concat([header, body]));
  return path;
}

describe.each([
  ['refers to a tensor the file does not contain', { w: { $tensor: 'w' }, x: { $tensor: 'missing' } }],
  ['leaves a tensor of the file unreferenced', { step: 1 }],
  ['holds a malformed number marker', { w: { $tensor: 'w' }, lr: { $number: 'nan' } }],
])('a file whose tree %s', (_what, tree) => {
  it('is refused by an in-place load, which leaves its targets unchanged', async () => {
    const path = fileWithTree(tree);
    const target = { w: tensor('float32', [2], [1, 2]) };
    await expect(loadCheckpoint(path, { into: target })).rejects.toMatchObject({ reason: 'bad-tree', file: path });
    expect(Array.from(target.w.data)).toEqual([1, 2]);
  });

  it('is refused by verifyCheckpoint and readCheckpointInfo, as by loadCheckpoint', async () => {
    const path = fileWithTree(tree);
    await expect(loadCheckpoint(path)).rejects.toMatchObject({ reason: 'bad-tree' });
    await expect(verifyCheckpoint(path)).rejects.toMatchObject({ reason: 'bad-tree', file: path });
    await expect(readCheckpointInfo(path)).rejects.toMatchObject({ reason: 'bad-tree', file: path });
  });
});

it('a well-formed crafted file passes all of them (the helper itself is sound)', async () => {
  const path = fileWithTree({ w: { $tensor: 'w' } });
  expect((await verifyCheckpoint(path)).tensors.map((t) => t.name)).toEqual(['w']);
  const target = { w: tensor('float32', [2], [1, 2]) };
  await loadCheckpoint(path, { into: target });
  expect(Array.from(target.w.data)).toEqual([7, 8]);
});
