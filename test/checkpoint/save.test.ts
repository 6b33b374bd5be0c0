import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  FORMAT_VERSION,
  LocalCheckpointIO,
  loadCheckpoint,
  MAX_HEADER_BYTES,
  serializeCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  type StateTree,
} from '../../src/checkpoint/index.js';
import { tensor, zeros } from '../../src/state/tensor.js';
import { treeDifference, useTempDir } from './helpers.js';

const tempDir = useTempDir();

describe('saveCheckpoint', () => {
  it.each<[string, unknown, string]>([
    ['a Date', { a: { when: new Date(0) } }, 'state.a.when'],
    ['a Map', { m: new Map() }, 'state.m'],
    ['undefined in an array', { u: [1, undefined] }, 'state.u[1]'],
    ['a bare typed array', { x: [new Float32Array(2)] }, 'state.x[0]'],
    ['a function', { f: () => 1 }, 'state.f'],
    ['a bigint', { b: 1n }, 'state.b'],
    ['a hole in an array', { list: [1, , 3] }, 'state.list[1]'],
    ['a tensor whose data disagrees with its shape', { t: { dtype: 'float32', shape: [3], data: new Float32Array(2) } }, 'state.t'],
  ])('refuses %s, naming its path, and creates no file', async (_what, tree, path) => {
    const dir = tempDir();
    const target = join(dir, 'bad.ckpt');
    await expect(saveCheckpoint(target, tree as StateTree)).rejects.toMatchObject({ reason: 'invalid-state', message: expect.stringContaining(path) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves out an object member that is undefined (an absent optional key)', async () => {
    const target = join(tempDir(), 'optional.ckpt');
    await saveCheckpoint(target, { a: { kept: 1, absent: undefined } });
    const loaded = await loadCheckpoint(target);
    expect(loaded).toEqual({ a: { kept: 1 } });
    expect(Object.keys(loaded.a as object)).toEqual(['kept']);
  });

  it('refuses a state whose header loading would reject as too large, keeping the old file', async () => {
    const dir = tempDir();
    const target = join(dir, 'last.ckpt');
    await saveCheckpoint(target, { step: 1 });
    const huge = { note: 'x'.repeat(MAX_HEADER_BYTES) };
    await expect(saveCheckpoint(target, huge)).rejects.toMatchObject({ reason: 'invalid-state', file: target });
    expect(() => serializeCheckpoint(huge)).toThrow(CheckpointError);
    expect(await loadCheckpoint(target)).toEqual({ step: 1 });
    expect(readdirSync(dir)).toEqual(['last.ckpt']);
  });

  it('refuses a cycle', async () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    await expect(saveCheckpoint(join(tempDir(), 'c.ckpt'), { a } as StateTree)).rejects.toMatchObject({ reason: 'invalid-state', message: expect.stringContaining('cycle') });
  });

  it('replaces an existing checkpoint and leaves no temporary file behind', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.ckpt');
    await saveCheckpoint(target, { v: 1 });
    await saveCheckpoint(target, { v: 2, w: zeros('float32', [10]) });
    expect(readdirSync(dir)).toEqual(['model.ckpt']);
    expect((await loadCheckpoint(target))['v']).toBe(2);
  });

  it('cleans up its temporary file when the final rename fails', async () => {
    const dir = tempDir();
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'inside'), { recursive: true });
    await expect(saveCheckpoint(target, { w: zeros('float32', [1000]) })).rejects.toMatchObject({ reason: 'io', file: target });
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('says so when the directory does not exist', async () => {
    await expect(saveCheckpoint(join(tempDir(), 'missing', 'x.ckpt'), { v: 1 })).rejects.toMatchObject({ reason: 'not-found' });
  });

  it.skipIf(process.getuid?.() === 0)('fails with an io error in a read-only directory, keeping the old file (skipped as root)', async () => {
    const dir = join(tempDir(), 'ro');
    mkdirSync(dir);
    const target = join(dir, 'model.ckpt');
    writeFileSync(target, 'old');
    chmodSync(dir, 0o500);
    try {
      await expect(saveCheckpoint(target, { v: 1 })).rejects.toMatchObject({ reason: 'io' });
      expect(readFileSync(target, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['model.ckpt']);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('reports progress in bytes, ending with the file size', async () => {
    const target = join(tempDir(), 'p.ckpt');
    const calls: [number, number][] = [];
    await saveCheckpoint(target, { w: zeros('float64', [5_000_000]) }, { onProgress: (d, t) => calls.push([d, t]) });
    const size = readFileSync(target).length;
    expect(calls.at(-1)).toEqual([size, size]);
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.every(([d], i) => i === 0 || d >= calls[i - 1]![0])).toBe(true);
  });

  it('writes durable: false files that are identical to durable ones', async () => {
    const dir = tempDir();
    const tree = { w: tensor('int32', [3], [1, 2, 3]) };
    await saveCheckpoint(join(dir, 'a.ckpt'), tree);
    await saveCheckpoint(join(dir, 'b.ckpt'), tree, { durable: false });
    expect(readFileSync(join(dir, 'a.ckpt')).equals(readFileSync(join(dir, 'b.ckpt')))).toBe(true);
  });

  it('describes a file without reading its tensors', async () => {
    const target = join(tempDir(), 'info.ckpt');
    await saveCheckpoint(target, { model: { w: tensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]) }, trainer: { epoch: 1 }, $x: 1 });
    const info = await readCheckpointInfo(target);
    expect(info).toMatchObject({
      file: target,
      fileBytes: readFileSync(target).length,
      formatVersion: FORMAT_VERSION,
      sections: ['model', 'trainer', '$x'],
      tensorBytes: 24,
      hasChecksums: true,
      checksumAlgorithm: 'xxh64',
      tensors: [{ name: 'model.w', dtype: 'float32', shape: [2, 3], byteLength: 24, dataOffsets: [0, 24] }],
    });
    expect(info.headerBytes + info.tensorBytes).toBe(info.fileBytes);
  });
});

describe('LocalCheckpointIO', () => {
  it('saves, loads, checks existence and removes (idempotently)', async () => {
    const io = new LocalCheckpointIO();
    const target = join(tempDir(), 'io.ckpt');
    expect(await io.exists(target)).toBe(false);
    const tree = { w: tensor('uint16', [2], [1, 2]) };
    await io.save(target, tree);
    expect(await io.exists(target)).toBe(true);
    expect(treeDifference(await io.load(target), tree)).toBeNull();
    await io.remove(target);
    expect(await io.exists(target)).toBe(false);
    await expect(io.remove(target)).resolves.toBeUndefined();
    await expect(io.load(target)).rejects.toBeInstanceOf(CheckpointError);
  });
});
