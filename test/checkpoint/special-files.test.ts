/**
 * Paths that are not regular files: a FIFO made every reader hang forever (each call holding a libuv thread).
 * They are refused with an `io` error before being opened. Symbolic links: reads follow them; a save replaces the
 * link itself with the new file and leaves the file it pointed to alone (docs/checkpoint-format.md, "Writing").
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint, upgradeCheckpoint, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { kindling } from '../cli/run-cli.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

function fifo(): string {
  const path = join(tempDir(), 'pipe.ckpt');
  execFileSync('mkfifo', [path]);
  return path;
}

describe.each([
  ['a FIFO', fifo, 'a FIFO (named pipe)'],
  ['a directory', () => {
    const path = join(tempDir(), 'dir.ckpt');
    mkdirSync(path);
    return path;
  }, 'a directory'],
  ['a character device', () => '/dev/zero', 'a character device'],
])('%s', (_what, make, kind) => {
  it('is refused by every reader with an io error that says what it is, without hanging', async () => {
    const path = make();
    const expected = { reason: 'io', file: path, message: expect.stringContaining(`this is ${kind}, not a checkpoint file`) };
    await expect(loadCheckpoint(path)).rejects.toMatchObject(expected);
    await expect(loadCheckpoint(path, { into: {} })).rejects.toMatchObject(expected);
    await expect(verifyCheckpoint(path)).rejects.toMatchObject(expected);
    await expect(readCheckpointInfo(path)).rejects.toMatchObject(expected);
    await expect(upgradeCheckpoint(path)).rejects.toMatchObject(expected);
  });

  it('is refused by every CLI command (trouble, or invalid for validate)', async () => {
    const path = make();
    for (const [args, code] of [[['inspect', path], 2], [['validate', path], 1], [['upgrade', path], 2], [['diff', path, path], 2]] as const) {
      const run = await kindling(...args);
      expect(run.code).toBe(code);
      expect(run.stderr).toContain(`this is ${kind}`);
    }
  });
});

describe('symbolic links', () => {
  it('are followed by reads', async () => {
    const dir = tempDir();
    await saveCheckpoint(join(dir, 'real.ckpt'), { step: 4 });
    symlinkSync('real.ckpt', join(dir, 'link.ckpt'));
    expect(await loadCheckpoint(join(dir, 'link.ckpt'))).toEqual({ step: 4 });
    expect((await verifyCheckpoint(join(dir, 'link.ckpt'))).tensors).toEqual([]);
  });

  it('are replaced by a save: the link becomes the new file, the file it pointed to keeps its contents', async () => {
    const dir = tempDir();
    const best = join(dir, 'epoch=3.ckpt');
    const last = join(dir, 'last.ckpt');
    await saveCheckpoint(best, { epoch: 3 });
    const bestBytes = readFileSync(best);
    symlinkSync('epoch=3.ckpt', last);
    await saveCheckpoint(last, { epoch: 4 });
    expect(lstatSync(last).isFile()).toBe(true);
    expect(await loadCheckpoint(last)).toEqual({ epoch: 4 });
    expect(readFileSync(best)).toEqual(bestBytes);
  });
});
