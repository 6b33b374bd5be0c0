/**
 * Issue 12: a real full disk. A 1 MiB tmpfs is mounted (this needs root, or CAP_SYS_ADMIN, in the sandbox); a save
 * that does not fit gets a real ENOSPC from the kernel, and must leave the previous checkpoint intact and no temporary
 * file. Where tmpfs cannot be mounted the test is skipped, and its name says why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointSaveError, LocalCheckpointIO, loadCheckpoint, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'kindling-small-'));
let cannotMount: string | undefined;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1M', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  cannotMount = stderr !== undefined && stderr !== '' ? stderr : (error as Error).message;
  rmdirSync(mountPoint);
}

afterAll(() => {
  if (cannotMount !== undefined) return;
  execFileSync('umount', [mountPoint]);
  rmdirSync(mountPoint);
});

/** About `kib` KiB of float32 weights. */
const state = (kib: number, step: number) => ({ w: tensor('float32', [kib * 256], new Float32Array(kib * 256).fill(step)), step });

describe.skipIf(cannotMount !== undefined)(`a save to a full 1 MiB tmpfs${cannotMount === undefined ? '' : ` (skipped: cannot mount tmpfs: ${cannotMount})`}`, () => {
  const io = new LocalCheckpointIO();
  const temporaryFiles = () => readdirSync(mountPoint).filter((n) => n.endsWith('.kindling-tmp'));

  it('fails with ENOSPC, keeps the previous checkpoint (same path and another one) and leaves no temporary file', async () => {
    const target = join(mountPoint, 'model.ckpt');
    await io.save(target, state(400, 1));
    // Replacing it needs room for both files until the rename: 400 KiB + 700 KiB does not fit in 1 MiB.
    const sameName = (await io.save(target, state(700, 2)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(sameName).toBeInstanceOf(CheckpointSaveError);
    expect(sameName).toMatchObject({ code: 'ENOSPC', stage: 'write', file: target, committed: false });
    expect(sameName.message).toMatch(/the disk is full/);
    const other = join(mountPoint, 'other.ckpt');
    const otherName = (await io.save(other, state(700, 3)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(otherName).toMatchObject({ code: 'ENOSPC', file: other });
    expect(temporaryFiles()).toEqual([]);
    expect(readdirSync(mountPoint)).toEqual(['model.ckpt']);
    await verifyCheckpoint(target);
    expect((await loadCheckpoint(target))['step']).toBe(1);
    // Space freed by the failed saves is really free again: a checkpoint that fits is written.
    await io.save(other, state(300, 4));
    expect((await loadCheckpoint(other))['step']).toBe(4);
  });
});
