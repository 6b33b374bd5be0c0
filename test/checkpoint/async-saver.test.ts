import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AsyncCheckpointSaver,
  CheckpointError,
  LocalCheckpointIO,
  loadCheckpoint,
  type CheckpointIO,
  type CheckpointLoadOptions,
  type SaveOptions,
  type StateTree,
} from '../../src/checkpoint/index.js';
import { tensor, type Tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** A CheckpointIO whose saves wait until released, and can be told to fail; it records what it was given. */
class ControlledIO implements CheckpointIO {
  readonly saved: { path: string; tree: StateTree }[] = [];
  readonly releases: (() => void)[] = [];
  failNext: Error | undefined;
  active = 0;
  maxActive = 0;

  async save(path: string, tree: StateTree, _options?: SaveOptions): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise<void>((resolve) => this.releases.push(resolve));
    this.active--;
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.saved.push({ path, tree });
  }
  async load(_path: string, _options?: CheckpointLoadOptions): Promise<StateTree> {
    throw new Error('not used');
  }
  async remove(): Promise<void> {}
  async exists(): Promise<boolean> {
    return false;
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('AsyncCheckpointSaver', () => {
  it('writes a snapshot: changing the tensors and the tree after save() resolves does not change the file', async () => {
    const path = join(tempDir(), 'async.ckpt');
    const weight = tensor('float32', [3], [1, 2, 3]);
    const tree = { model: { weight }, trainer: { epoch: 1, history: [1] } };
    const saver = new AsyncCheckpointSaver(new LocalCheckpointIO());
    await saver.save(path, tree);
    weight.data[0] = 99;
    tree.trainer.epoch = 2;
    tree.trainer.history.push(2);
    await saver.close();
    const loaded = (await loadCheckpoint(path)) as { model: { weight: Tensor }; trainer: { epoch: number; history: number[] } };
    expect(Array.from(loaded.model.weight.data as Float32Array)).toEqual([1, 2, 3]);
    expect(loaded.trainer).toEqual({ epoch: 1, history: [1] });
  });

  it('keeps at most one save in flight: a second save waits for the first to finish writing', async () => {
    const io = new ControlledIO();
    const saver = new AsyncCheckpointSaver(io);
    await saver.save('a', { v: 1 });
    let secondReturned = false;
    const second = saver.save('b', { v: 2 }).then(() => (secondReturned = true));
    await until(() => io.releases.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondReturned).toBe(false);
    io.releases[0]!();
    await second;
    await until(() => io.releases.length === 2);
    io.releases[1]!();
    await saver.close();
    expect(io.maxActive).toBe(1);
    expect(io.saved.map((s) => s.path)).toEqual(['a', 'b']);
  });

  it('surfaces a failed background save at the next save, which then does not run', async () => {
    const io = new ControlledIO();
    const saver = new AsyncCheckpointSaver(io);
    io.failNext = new Error('disk full');
    await saver.save('first', { v: 1 });
    await until(() => io.releases.length === 1);
    io.releases[0]!();
    await expect(saver.save('second', { v: 2 })).rejects.toThrow('disk full');
    // The failure was reported once; the saver works again afterwards.
    const third = saver.save('third', { v: 3 });
    await third;
    await until(() => io.releases.length === 2);
    io.releases[1]!();
    await saver.close();
    expect(io.saved.map((s) => s.path)).toEqual(['third']);
  });

  it('surfaces a failed background save at close()', async () => {
    const io = new ControlledIO();
    const saver = new AsyncCheckpointSaver(io);
    io.failNext = new Error('permission denied');
    await saver.save('only', { v: 1 });
    await until(() => io.releases.length === 1);
    io.releases[0]!();
    await expect(saver.close()).rejects.toThrow('permission denied');
    await expect(saver.save('after', { v: 2 })).rejects.toBeInstanceOf(CheckpointError);
  });

  it('rejects an unstorable tree at save() itself, before anything runs in the background', async () => {
    const io = new ControlledIO();
    const saver = new AsyncCheckpointSaver(io);
    const bad = { when: new Date() } as unknown as StateTree;
    await expect(saver.save('bad', bad)).rejects.toMatchObject({ reason: 'invalid-state', message: expect.stringContaining('state.when') });
    expect(io.releases).toHaveLength(0);
    await saver.close();
  });
});
