/**
 * Interoperability: scripts/python/read_checkpoint.py, a numpy-only reader written from the spec, reads what kindling
 * writes. Needs `python3` with numpy; skipped where that is not installed (CI machines may lack it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();
const READER = fileURLToPath(new URL('../../scripts/python/read_checkpoint.py', import.meta.url));
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('numpy-only Python reader', () => {
  it.skipIf(!hasNumpy)('reads every dtype, the tree, special numbers and escaped keys (needs python3 with numpy, skipped otherwise)', async () => {
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

  it.skipIf(!hasNumpy)('rejects a file whose tensor bytes were damaged (CRC32), like kindling does', async () => {
    const path = join(tempDir(), 'damaged.ckpt');
    await saveCheckpoint(path, { w: tensor('float32', [4], [1, 2, 3, 4]) });
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(path, bytes);
    const run = spawnSync('python3', [READER, path], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('CRC32');
  });
});
