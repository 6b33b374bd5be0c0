/**
 * Temporary files of saves: their names identify target, process and thread, and stale ones (writer gone) are swept
 * on the next save of the same target, while everything else in the directory is left alone.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, saveCheckpoint, sweepStaleTempFiles } from '../../src/checkpoint/index.js';
import { parseTempName, stemOf, temporaryNameFor } from '../../src/checkpoint/temp-names.js';
import { registerTemporary, unregisterTemporary } from '../../src/checkpoint/temp-registry.js';
import { zeros } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** The pid of a process that has exited (and been reaped), so `kill(pid, 0)` gives ESRCH. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  if (result.pid === undefined || result.status !== 0) throw new Error('could not run a short-lived node process');
  return result.pid;
}

const sleepers: ChildProcess[] = [];
afterEach(() => {
  for (const child of sleepers.splice(0)) child.kill('SIGKILL');
});

/** A running process that is not this one, killed after the test. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  sleepers.push(child);
  if (child.pid === undefined) throw new Error('could not start a sleeping node process');
  return child.pid;
}

function plant(dir: string, name: string, ageMs = 0): string {
  const path = join(dir, name);
  writeFileSync(path, 'partial checkpoint bytes');
  if (ageMs > 0) {
    const when = new Date(Date.now() - ageMs);
    utimesSync(path, when, when);
  }
  return name;
}

const tempName = (target: string, pid: number, thread = 0, random = 'deadbeef') => `.${target}.${pid}.${thread}.${random}.kindling-tmp`;
const legacyName = (target: string, pid: number, random = 'deadbeef') => `.${target}.${pid}.${random}.tmp`;
const HOUR = 60 * 60 * 1000;

describe('temporary file names', () => {
  it('are hidden, name target, pid and thread, and parse back', () => {
    const name = temporaryNameFor('model.ckpt');
    expect(name).toMatch(new RegExp(`^\\.model\\.ckpt\\.${process.pid}\\.${threadId}\\.[0-9a-f]{8}\\.kindling-tmp$`));
    expect(parseTempName(name)).toEqual({ kind: 'current', stem: 'model.ckpt', pid: process.pid, threadId });
    expect(temporaryNameFor('model.ckpt')).not.toBe(name);
  });

  it('stay short for long file names, without splitting characters, and differ for names that share a beginning', () => {
    // 7 bytes a pair, so the 80-byte cut falls inside a 4-byte character (a surrogate pair in UTF-16).
    const long = (end: string) => `${'😀€'.repeat(40)}${end}.ckpt`;
    const a = temporaryNameFor(long('a'));
    const b = temporaryNameFor(long('b'));
    expect(Buffer.byteLength(a)).toBeLessThanOrEqual(143);
    const kept = stemOf(long('a')).split('~')[0]!;
    expect(long('a').startsWith(kept)).toBe(true);
    expect(Buffer.from(kept).toString('utf8')).toBe(kept);
    expect(Buffer.byteLength(kept)).toBe(77);
    expect(stemOf(long('a'))).not.toBe(stemOf(long('b')));
    expect(parseTempName(a)?.stem).toBe(stemOf(long('a')));
    expect(parseTempName(b)?.stem).toBe(stemOf(long('b')));
  });

  it('keep a file name of up to 97 bytes whole and shorten longer ones to 97 bytes', () => {
    const whole = `${'m'.repeat(92)}.ckpt`;
    const longer = `m${whole}`;
    expect(stemOf(whole)).toBe(whole);
    expect(stemOf(longer)).toMatch(/^m{80}~[0-9a-f]{16}$/);
  });

  it('recognise the previous format and nothing else', () => {
    expect(parseTempName('.model.ckpt.123.abcdef01.tmp')).toEqual({ kind: 'legacy', stem: 'model.ckpt', pid: 123 });
    for (const name of [
      'model.ckpt.1.0.deadbeef.kindling-tmp',
      '.model.ckpt.1.0.DEADBEEF.kindling-tmp',
      '.model.ckpt.1.0.deadbee.kindling-tmp',
      '.model.ckpt.0.0.deadbeef.kindling-tmp',
      '.model.ckpt.01.0.deadbeef.kindling-tmp',
      '.model.ckpt.1.0.deadbeef.kindling-tmp.bak',
      '.model.ckpt.swp',
      '.model.ckpt.1.deadbeef.tmp~',
    ]) {
      expect(parseTempName(name), name).toBeNull();
    }
  });
});

describe('sweeping on save', () => {
  it('removes a temporary file of the same target whose writer has exited', async () => {
    const dir = tempDir();
    plant(dir, tempName('model.ckpt', deadPid()));
    plant(dir, tempName('model.ckpt', deadPid(), 3, '01234567'));
    await saveCheckpoint(join(dir, 'model.ckpt'), { w: zeros('float32', [8]) });
    expect(readdirSync(dir)).toEqual(['model.ckpt']);
  });

  it('keeps the temporary file of a live process, and of another thread of this one', async () => {
    const dir = tempDir();
    const live = plant(dir, tempName('model.ckpt', livePid()));
    const otherThread = plant(dir, tempName('model.ckpt', process.pid, threadId + 1));
    await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    expect(readdirSync(dir).sort()).toEqual([live, otherThread, 'model.ckpt'].sort());
  });

  it("removes this thread's pid's file that no save of this process is writing (left by an earlier process with the same pid)", async () => {
    const dir = tempDir();
    plant(dir, tempName('model.ckpt', process.pid, threadId));
    plant(dir, legacyName('model.ckpt', process.pid), 2 * HOUR);
    await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    expect(readdirSync(dir)).toEqual(['model.ckpt']);
  });

  it('keeps unrelated hidden files and the temporary files of other targets', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const kept = [
      tempName('other.ckpt', dead),
      tempName('model.ckpt.1', dead),
      tempName('odel.ckpt', dead),
      legacyName('other.ckpt', dead),
      `${tempName('model.ckpt', dead)}.bak`,
      tempName('model.ckpt', dead).slice(1),
      tempName('model.ckpt', dead, 0, 'DEADBEEF'),
      '.model.ckpt.swp',
      '.model.ckpt',
    ].map((name) => plant(dir, name, 2 * HOUR));
    await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    expect(readdirSync(dir).sort()).toEqual([...kept, 'model.ckpt'].sort());
  });

  it('removes a previous-format leftover of a dead writer only once it is an hour old', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const fresh = plant(dir, legacyName('model.ckpt', dead, '00000001'));
    plant(dir, legacyName('model.ckpt', dead, '00000002'), 2 * HOUR);
    const liveOld = plant(dir, legacyName('model.ckpt', livePid(), '00000003'), 2 * HOUR);
    await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    expect(readdirSync(dir).sort()).toEqual([fresh, liveOld, 'model.ckpt'].sort());
  });

  it('lets a save succeed when a stale-looking entry cannot be removed', async () => {
    const dir = tempDir();
    const stuck = tempName('model.ckpt', deadPid());
    mkdirSync(join(dir, stuck, 'inside'), { recursive: true });
    await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    expect(readdirSync(dir).sort()).toEqual([stuck, 'model.ckpt'].sort());
    const result = await sweepStaleTempFiles(dir);
    expect(result.failed).toEqual([{ path: join(dir, stuck), error: expect.stringContaining('not a regular file') }]);
  });

  it.skipIf(process.getuid?.() === 0)('lets a save succeed in a directory it cannot list (skipped as root)', async () => {
    const dir = join(tempDir(), 'write-only');
    mkdirSync(dir);
    chmodSync(dir, 0o300);
    try {
      await saveCheckpoint(join(dir, 'model.ckpt'), { v: 1 });
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(await loadCheckpoint(join(dir, 'model.ckpt'))).toEqual({ v: 1 });
  });

  it('never removes the file of a save in flight in this thread', async () => {
    const dir = tempDir();
    const inFlight = tempName('model.ckpt', process.pid, threadId, 'abcdef12');
    plant(dir, inFlight);
    registerTemporary(inFlight);
    try {
      expect(await sweepStaleTempFiles(dir)).toMatchObject({ removed: [], kept: [join(dir, inFlight)] });
    } finally {
      unregisterTemporary(inFlight);
    }
    expect(await sweepStaleTempFiles(dir)).toMatchObject({ removed: [join(dir, inFlight)], kept: [] });
  });

  it('lets two saves of one target overlap in one process', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.ckpt');
    let second: Promise<void> | undefined;
    // The second save starts (and sweeps) while the first one's temporary file is being written.
    const first = saveCheckpoint(target, { w: zeros('float64', [6_000_000]), v: 1 }, {
      onProgress: () => {
        second ??= saveCheckpoint(target, { v: 2 });
      },
    });
    await first;
    expect(second).toBeDefined();
    await second;
    expect(readdirSync(dir)).toEqual(['model.ckpt']);
  });
});

describe('sweepStaleTempFiles', () => {
  it('sweeps every target in a directory and reports what it removed and kept', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const live = livePid();
    const a = plant(dir, tempName('a.ckpt', dead));
    const b = plant(dir, tempName('b.ckpt', dead));
    const liveFile = plant(dir, tempName('a.ckpt', live));
    const freshLegacy = plant(dir, legacyName('c.ckpt', dead));
    plant(dir, 'a.ckpt');
    const result = await sweepStaleTempFiles(dir);
    expect([...result.removed].sort()).toEqual([join(dir, a), join(dir, b)].sort());
    expect([...result.kept].sort()).toEqual([join(dir, liveFile), join(dir, freshLegacy)].sort());
    expect(result.failed).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(['a.ckpt', liveFile, freshLegacy].sort());
  });

  it('limits itself to one target when asked, and honours a custom age for previous-format files', async () => {
    const dir = tempDir();
    const dead = deadPid();
    const other = plant(dir, tempName('b.ckpt', dead));
    const legacy = plant(dir, legacyName('a.ckpt', dead), 10_000);
    const result = await sweepStaleTempFiles(dir, { target: join('/anywhere', 'a.ckpt'), legacyMinAgeMs: 1000 });
    expect(result.removed).toEqual([join(dir, legacy)]);
    expect(readdirSync(dir)).toEqual([other]);
  });

  it('throws a not-found CheckpointError for a missing directory', async () => {
    const missing = join(tempDir(), 'missing');
    const error = await sweepStaleTempFiles(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ reason: 'not-found', file: missing });
  });
});
