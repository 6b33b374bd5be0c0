/**
 * Interoperability: scripts/python/read_checkpoint.py, a numpy-only reader written from the spec, reads what kindling
 * writes. Needs `python3` with numpy (and xxhash, to verify format version 2); skipped where that is not installed
 * (CI machines may lack it).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();
const READER = fileURLToPath(new URL('../../scripts/python/read_checkpoint.py', import.meta.url));
const V1_GOLDEN = fileURLToPath(new URL('fixtures/v1.ckpt', import.meta.url));
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
/** Verifying format version 2 needs the xxhash module too (pip install xxhash, or Debian's python3-xxhash). */
const hasXxhash = hasNumpy && spawnSync('python3', ['-c', 'import xxhash'], { stdio: 'ignore' }).status === 0;

describe('numpy-only Python reader', () => {
  it.skipIf(!hasXxhash)('reads every dtype, the tree, special numbers and escaped keys (needs python3 with numpy and xxhash, skipped otherwise)', async () => {
    const path = join(tempDir(), 'for-python.ckpt');
    await saveCheckpoint(path, {
      model: { 'layer.1': { weight: tensor('float32', [2, 2], [1.5, Number.NaN, -0, Number.NEGATIVE_INFINITY]) } },
      ints: {
        i64: tensor('int64', [2], [-5, 7]),
        i32: tensor('int32', [1], [-2147483648]),
        i16: tensor('int16', [1], [-300]),
        i8: tensor('int8', [1], [-7]),
        u64: tensor('uint64', [1], [9]),
        u32: tensor('uint32', [1], [4294967295]),
        u16: tensor('uint16', [1], [65535]),
        u8: tensor('uint8', [1], [255]),
      },
      halves: { f16: tensor('float16', [2], [0x3c00, 0xc000]), bf16: tensor('bfloat16', [1], [0x3f80]) },
      f64: tensor('float64', [], [0.1]),
      flags: tensor('bool', [2], [1, 0]),
      trainer: { epoch: 3, best: Number.POSITIVE_INFINITY, $tag: 'x' },
    });
    const run = spawnSync('python3', [READER, path, '--json'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const t = (dtype: string, shape: number[], values: unknown[]): object => ({ dtype, shape, values });
    expect(JSON.parse(run.stdout)).toEqual({
      model: { 'layer.1': { weight: t('float32', [2, 2], [1.5, { $number: 'NaN' }, { $number: '-0' }, { $number: '-Infinity' }]) } },
      ints: {
        i64: t('int64', [2], [-5, 7]),
        i32: t('int32', [1], [-2147483648]),
        i16: t('int16', [1], [-300]),
        i8: t('int8', [1], [-7]),
        u64: t('uint64', [1], [9]),
        u32: t('uint32', [1], [4294967295]),
        u16: t('uint16', [1], [65535]),
        u8: t('uint8', [1], [255]),
      },
      // numpy has no bfloat16: the reader returns its raw 16-bit words.
      halves: { f16: t('float16', [2], [1, -2]), bf16: t('uint16', [1], [0x3f80]) },
      f64: t('float64', [], [0.1]),
      flags: t('bool', [2], [true, false]),
      trainer: { epoch: 3, best: { $number: 'Infinity' }, $tag: 'x' },
    });
  });

  it.skipIf(!hasXxhash)('rejects a file whose tensor bytes were damaged (XXH64, checked with the xxhash module), like kindling does', async () => {
    const path = join(tempDir(), 'damaged.ckpt');
    await saveCheckpoint(path, { w: tensor('float32', [4], [1, 2, 3, 4]) });
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(path, bytes);
    const run = spawnSync('python3', [READER, path], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("tensor 'w' fails its XXH64 check");
  });

  it.skipIf(!hasNumpy)('reads a version-1 file, checking its CRC32s with zlib', () => {
    const path = join(tempDir(), 'v1.ckpt');
    copyFileSync(V1_GOLDEN, path);
    expect(spawnSync('python3', [READER, path], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 2;
    writeFileSync(path, bytes);
    const run = spawnSync('python3', [READER, path], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/fails its CRC32 check/);
  });

  it.skipIf(!hasNumpy)('says how to verify when the xxhash module is missing, and reads unchecked with --no-verify', async () => {
    const path = join(tempDir(), 'no-xxhash.ckpt');
    await saveCheckpoint(path, { w: tensor('float32', [2], [1, 2]) });
    // A module named xxhash that fails to import stands in for an interpreter without it.
    const shadow = tempDir();
    writeFileSync(join(shadow, 'xxhash.py'), 'raise ImportError("no xxhash here")\n');
    const env = { ...process.env, PYTHONPATH: shadow };
    const refused = spawnSync('python3', [READER, path], { encoding: 'utf8', env });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('the Python module xxhash is not installed (pip install xxhash');
    expect(refused.stderr).toContain('--no-verify');
    const unchecked = spawnSync('python3', [READER, path, '--no-verify'], { encoding: 'utf8', env });
    expect(unchecked).toMatchObject({ status: 0, stderr: '', stdout: 'w\tfloat32\t[2]\n' });
  });
});
