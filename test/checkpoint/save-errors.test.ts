/**
 * Issue 12: a disk error during a save (ENOSPC, EACCES, EIO) at any stage of the atomic save gives a
 * CheckpointSaveError that names the file, the stage and what to do; the previous checkpoint at the path stays intact
 * and loadable, and no temporary file is left. Faults are injected under a real LocalCheckpointIO
 * (support/faulty-fs.ts), so the files checked are real.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AsyncCheckpointSaver, CheckpointSaveError, LocalCheckpointIO, loadCheckpoint, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';
import { CODES, FaultyFileSystem, STAGES } from './support/faulty-fs.js';

const tempDir = useTempDir();
const state = (step: number) => ({ w: tensor('float32', [256], new Float32Array(256).fill(step)), step });
const temporaryFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.kindling-tmp'));
const ADVICE: Record<(typeof CODES)[number], RegExp> = {
  ENOSPC: /the disk is full .*To fix: free space on the file system that holds/,
  EACCES: /permission denied .*To fix: make .* writable by this process/,
  EIO: /the device reported an I\/O error .*To fix: check the disk/,
};

async function expectStep(file: string, step: number): Promise<void> {
  await verifyCheckpoint(file);
  expect((await loadCheckpoint(file))['step']).toBe(step);
}

describe('a save that fails at one stage', () => {
  for (const stage of STAGES) {
    for (const code of CODES) {
      it(`${code} while ${stage}: a CheckpointSaveError naming the file; ${stage === 'fsync-dir' ? 'the new file is in place' : 'the previous file is intact'}; no temporary file`, async () => {
        const dir = tempDir();
        const target = join(dir, 'model.ckpt');
        const fs = new FaultyFileSystem();
        const io = new LocalCheckpointIO({ fileSystem: fs });
        await io.save(target, state(1));
        fs.fault = { stage, code };
        const error = await io.save(target, state(2)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CheckpointSaveError);
        const saveError = error as CheckpointSaveError;
        expect(saveError).toMatchObject({ file: target, stage, code, reason: 'io', committed: stage === 'fsync-dir', temporaryLeft: undefined });
        expect(saveError.message.startsWith(`${target}: could not save the checkpoint: `)).toBe(true);
        expect(saveError.message).toMatch(ADVICE[code]);
        expect(saveError.message).toContain(code);
        expect(fs.failures).toBe(1);
        expect(temporaryFiles(dir)).toEqual([]);
        await expectStep(target, stage === 'fsync-dir' ? 2 : 1);
        // The disk recovers: the next save goes through.
        fs.fault = undefined;
        await io.save(target, state(3));
        await expectStep(target, 3);
      });
    }
  }

  it('says so when the temporary file cannot be removed either, and the next save removes it', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.ckpt');
    const fs = new FaultyFileSystem();
    const io = new LocalCheckpointIO({ fileSystem: fs });
    await io.save(target, state(1));
    fs.fault = { stage: 'fsync', code: 'EIO' };
    fs.failUnlink = 'EIO';
    const error = (await io.save(target, state(2)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(error).toBeInstanceOf(CheckpointSaveError);
    const [left] = temporaryFiles(dir);
    expect(left).toBeDefined();
    expect(error.temporaryLeft).toBe(join(dir, left!));
    expect(error.message).toContain(`The temporary file ${join(dir, left!)} could not be removed`);
    await expectStep(target, 1);
    fs.fault = undefined;
    fs.failUnlink = undefined;
    await io.save(target, state(3));
    expect(temporaryFiles(dir)).toEqual([]);
    await expectStep(target, 3);
  });

  it('a missing directory is reason not-found, with what to do', async () => {
    const target = join(tempDir(), 'missing', 'model.ckpt');
    const error = (await new LocalCheckpointIO().save(target, state(1)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(error).toBeInstanceOf(CheckpointSaveError);
    expect(error).toMatchObject({ reason: 'not-found', stage: 'open', code: 'ENOENT' });
    expect(error.message).toMatch(/the directory does not exist .*To fix: create /);
  });
});

describe('an AsyncCheckpointSaver whose background write fails', () => {
  for (const stage of ['write', 'fsync', 'rename'] as const) {
    for (const code of CODES) {
      it(`${code} while ${stage}: flush throws the CheckpointSaveError, the previous file loads, no temporary file`, async () => {
        const dir = tempDir();
        const target = join(dir, 'model.ckpt');
        const fs = new FaultyFileSystem();
        const saver = new AsyncCheckpointSaver(new LocalCheckpointIO({ fileSystem: fs }));
        await saver.save(target, state(1));
        await saver.flush();
        fs.fault = { stage, code, times: 1 };
        await saver.save(target, state(2));
        await expect(saver.flush()).rejects.toSatisfy((e) => e instanceof CheckpointSaveError && e.stage === stage && e.code === code);
        expect(temporaryFiles(dir)).toEqual([]);
        await expectStep(target, 1);
        // The failure was reported once; the saver goes on.
        await saver.save(target, state(3));
        await saver.close();
        await expectStep(target, 3);
      });
    }
  }
});
