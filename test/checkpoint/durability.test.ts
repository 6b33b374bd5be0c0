/**
 * Issue 7, §6: durability is tested. An fs spy records what a save does to the disk; a durable save must write the
 * bytes, fsync the temporary file, rename it over the target and then fsync the directory, in that order. Removing
 * either fsync, or moving it after the rename, fails this test.
 */
import { basename, dirname, join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileHandle } from 'node:fs/promises';

/** What the spy saw: `write <name>`, `fsync <name>`, `rename <from> <to>`, `fsync-dir <name>` (base names). */
const events: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const wrap = (handle: FileHandle, path: string, isDir: boolean): FileHandle =>
    new Proxy(handle, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'write' || property === 'writev') events.push(`write ${basename(path)}`);
          if (property === 'sync' || property === 'datasync') events.push(`${isDir ? 'fsync-dir' : 'fsync'} ${basename(path)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...actual,
    open: async (path: string, flags?: string | number, mode?: number) => {
      const handle = await actual.open(path, flags, mode);
      const isDir = (await handle.stat()).isDirectory();
      return wrap(handle, String(path), isDir);
    },
    rename: async (from: string, to: string) => {
      await actual.rename(from, to);
      events.push(`rename ${basename(String(from))} ${basename(String(to))}`);
    },
  };
});

const { saveCheckpoint, loadCheckpoint } = await import('../../src/checkpoint/index.js');
const { tensor } = await import('../../src/state/tensor.js');
const { useTempDir } = await import('./helpers.js');

const tempDir = useTempDir();
beforeEach(() => void events.splice(0));

/** The events of one save with the temporary file's random name replaced by `<tmp>`. */
function normalised(target: string): string[] {
  const tmp = events.find((e) => e.startsWith('write '))?.slice('write '.length);
  return events
    .map((e) => (tmp === undefined ? e : e.split(tmp).join('<tmp>')))
    .filter((e, i, all) => !(e === 'write <tmp>' && all[i - 1] === 'write <tmp>'))
    .filter((e) => e.includes('<tmp>') || e.includes(basename(target)) || e.startsWith('fsync-dir'));
}

describe('a durable save', () => {
  it('writes, fsyncs the file, renames it over the target, then fsyncs the directory', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.ckpt');
    await saveCheckpoint(target, { w: tensor('float32', [1024], new Float32Array(1024).fill(1)), step: 3 });
    expect(normalised(target)).toEqual(['write <tmp>', 'fsync <tmp>', 'rename <tmp> model.ckpt', `fsync-dir ${basename(dirname(target))}`]);
    expect((await loadCheckpoint(target))['step']).toBe(3);
  });

  it('the temporary file is the one renamed, in the target directory', async () => {
    const dir = tempDir();
    await saveCheckpoint(join(dir, 'a.ckpt'), { v: 1 });
    const tmp = events.find((e) => e.startsWith('write '))!.slice('write '.length);
    expect(tmp).toMatch(/^\.a\.ckpt\.\d+\.\d+\.[0-9a-f]{8}\.kindling-tmp$/);
    expect(events).toContain(`rename ${tmp} a.ckpt`);
  });

  it('with durable: false, writes and renames without any fsync', async () => {
    const target = join(tempDir(), 'fast.ckpt');
    await saveCheckpoint(target, { v: 1 }, { durable: false });
    expect(normalised(target)).toEqual(['write <tmp>', 'rename <tmp> fast.ckpt']);
  });
});
