/**
 * Issue 12, async mode (`asyncSave`): a background write of ModelCheckpoint fails after later saves were made (their
 * snapshots taken, their writes queued behind it). The writes are real (LocalCheckpointIO) and complete in the order
 * the test chooses (support/gated-fs.ts). Checked when each write starts (the write before it and its removals are
 * done): the directory holds the top-k files the last committed file names, at most saveTopK, plus last; when each
 * file is committed: the state read back from it names only files in the directory; after flush: the directory
 * holds exactly the files the live state names, the live state is the one the last committed file holds, and no
 * temporary file is left.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckpointSaveError, LocalCheckpointIO, loadCheckpoint, verifyCheckpoint, type StateTree } from '../../../src/checkpoint/index.js';
import { type CheckpointingTrainer, ModelCheckpoint } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import type { ModelCheckpointState } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.state.generated.js';
import { useTempDir } from '../../checkpoint/helpers.js';
import { FaultyFileSystem } from '../../checkpoint/support/faulty-fs.js';
import { GatedFileSystem } from '../../checkpoint/support/gated-fs.js';

const tempDir = useTempDir();
afterEach(() => vi.restoreAllMocks());

const K = 2;

/** A trainer whose checkpoint is the epoch and the callback's state under `callbacks`, as the connector puts it. */
class FakeTrainer implements CheckpointingTrainer {
  callbackMetrics: Record<string, number> = {};
  currentEpoch = 0;
  globalStep = 0;
  readonly ckptPath = undefined;
  readonly logDir = '/unused';
  callback: ModelCheckpoint | undefined;

  dumpCheckpoint(): StateTree {
    const callback = this.callback!;
    return { epoch: this.currentEpoch, callbacks: { [callback.stateKey]: callback.stateDict() } };
  }
  saveCheckpoint(): Promise<void> {
    throw new Error('async mode writes through its own saver');
  }
}

type Bookkeeping = Pick<ModelCheckpointState, 'bestKModels' | 'bestModelPath' | 'bestModelScore' | 'kthBestModelPath' | 'kthValue' | 'lastModelPath' | 'currentScore'>;
const bookkeeping = (s: Bookkeeping): Bookkeeping => ({
  bestKModels: s.bestKModels,
  bestModelPath: s.bestModelPath,
  bestModelScore: s.bestModelScore,
  kthBestModelPath: s.kthBestModelPath,
  kthValue: s.kthValue,
  lastModelPath: s.lastModelPath,
  currentScore: s.currentScore,
});
/** The files a state names. */
const named = (s: Bookkeeping) => [...new Set([...Object.keys(s.bestKModels), s.bestModelPath, s.lastModelPath])].filter((p) => p !== '').map((p) => basename(p)).sort();
const stateIn = (tree: StateTree, key: string) => (tree['callbacks'] as Record<string, ModelCheckpointState>)[key]!;
const checkpoints = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.ckpt')).sort();
const topKFiles = (dir: string) => checkpoints(dir).filter((n) => !n.startsWith('last'));

/**
 * Saves epochs 0 and 1 (written at once), then the later epochs with every write held; then completes the held
 * writes one by one, in order, failing the top-k file of epoch 2 with ENOSPC: at its rename (`'rename'`), or at the
 * directory fsync after it (`'fsync-dir'`: the file is in place). Records what the directory and the files held at
 * each write start and each commit.
 */
async function run(losses: readonly number[], onSaveError: 'raise' | 'warn', stage: 'rename' | 'fsync-dir' = 'rename') {
  const dir = tempDir();
  const faulty = new FaultyFileSystem();
  const fs = new GatedFileSystem(faulty);
  const callback = new ModelCheckpoint({ dirpath: dir, monitor: 'val_loss', saveTopK: K, saveLast: true, onSaveError, io: new LocalCheckpointIO({ fileSystem: fs }), asyncSave: true });
  const trainer = new FakeTrainer();
  trainer.callback = callback;
  vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  let lastCommitted: ModelCheckpointState | undefined;
  const atStart: { topK: string[]; named: string[] }[] = [];
  const atCommit: { file: string; epoch: unknown; names: string[]; listing: string[] }[] = [];
  fs.onStart = () => {
    atStart.push({ topK: topKFiles(dir), named: lastCommitted === undefined ? [] : Object.keys(lastCommitted.bestKModels).map((p) => basename(p)).sort() });
  };
  fs.onCommit = async (target) => {
    const tree = await loadCheckpoint(target);
    lastCommitted = stateIn(tree, callback.stateKey);
    atCommit.push({ file: basename(target), epoch: tree['epoch'], names: named(lastCommitted), listing: checkpoints(dir) });
  };
  const saveEpoch = (epoch: number) => {
    trainer.currentEpoch = epoch;
    trainer.globalStep = (epoch + 1) * 10;
    trainer.callbackMetrics = { val_loss: losses[epoch]! };
    callback.save(trainer);
  };
  saveEpoch(0);
  saveEpoch(1);
  await callback.flush();
  fs.hold = true;
  // The first save held is the top-k file of epoch 2.
  if (stage === 'fsync-dir') faulty.fault = { stage, code: 'ENOSPC', times: 1 };
  for (let epoch = 2; epoch < losses.length; epoch += 1) saveEpoch(epoch);
  const failing = join(dir, 'epoch=2-step=30.ckpt');
  const flushed = callback.flush().then(
    () => ({ error: undefined }),
    (error: unknown) => ({ error }),
  );
  const completed: string[] = [];
  for (;;) {
    const next = await Promise.race([fs.next(), flushed]);
    if (!('target' in next)) return { dir, callback, error: next.error, completed, atStart, atCommit, lastCommitted: lastCommitted! };
    const fails = next.target === failing && stage === 'rename';
    completed.push(`${fails ? 'fail' : 'write'} ${basename(next.target)}`);
    if (fails) next.fail('ENOSPC');
    else next.release();
  }
}

async function expectConsistent(result: Awaited<ReturnType<typeof run>>): Promise<void> {
  const { dir, callback, atStart, atCommit, lastCommitted } = result;
  // Each write starts with the directory holding the top k of the last committed file, and no more than k.
  for (const start of atStart) {
    expect(start.topK).toEqual(start.named);
    expect(start.topK.length).toBeLessThanOrEqual(K);
  }
  // Each committed file names only files that are there.
  for (const commit of atCommit) expect(commit.listing, commit.file).toEqual(expect.arrayContaining(commit.names));
  // After flush: the live state is the last committed file's, and the directory holds exactly what it names.
  expect(bookkeeping(callback)).toEqual(bookkeeping(lastCommitted));
  expect(readdirSync(dir).filter((n) => n.endsWith('.kindling-tmp'))).toEqual([]);
  expect(checkpoints(dir)).toEqual(named(callback));
  expect(topKFiles(dir).length).toBeLessThanOrEqual(K);
  for (const name of checkpoints(dir)) await verifyCheckpoint(join(dir, name));
}

describe('ModelCheckpoint (async) when a write fails after later saves were made', () => {
  for (const onSaveError of ['warn', 'raise'] as const) {
    it(`the next save's snapshot named the failed file (it was the best): that save records and keeps the committed files instead (onSaveError '${onSaveError}')`, async () => {
      // Epoch 2 (0.3) replaces epoch 0 and becomes the best; epoch 3 (0.35) replaces epoch 1, and its snapshot,
      // taken before epoch 2 failed, names epoch 2 as the best.
      const result = await run([0.5, 0.4, 0.3, 0.35], onSaveError);
      expect(result.completed).toEqual(['fail epoch=2-step=30.ckpt', 'write epoch=3-step=40.ckpt', 'write last.ckpt']);
      if (onSaveError === 'raise') expect(result.error).toBeInstanceOf(CheckpointSaveError);
      else expect(result.error).toBeUndefined();
      // Ranked again from the committed files: epoch 3 replaces epoch 0 (the worst of them), not epoch 1.
      expect(topKFiles(result.dir)).toEqual(['epoch=1-step=20.ckpt', 'epoch=3-step=40.ckpt']);
      expect(basename(result.callback.bestModelPath)).toBe('epoch=3-step=40.ckpt');
      const epoch3 = stateIn(await loadCheckpoint(join(result.dir, 'epoch=3-step=40.ckpt')), result.callback.stateKey);
      expect(named(epoch3)).toEqual(['epoch=1-step=20.ckpt', 'epoch=3-step=40.ckpt', 'last.ckpt']);
      expect((await loadCheckpoint(join(result.dir, 'last.ckpt')))['epoch']).toBe(3);
      await expectConsistent(result);
    });
  }

  it('the next save replaced the failed file: the file the failed one was to replace goes, so the top k never holds k + 1 files', async () => {
    // Epoch 2 (0.45) replaces epoch 0 and is the worst of the top 2; epoch 3 (0.35) replaces it. Undoing epoch 2
    // alone would bring epoch 0 back beside epochs 1 and 3.
    const result = await run([0.5, 0.4, 0.45, 0.35], 'warn');
    expect(result.completed).toEqual(['fail epoch=2-step=30.ckpt', 'write epoch=3-step=40.ckpt', 'write last.ckpt']);
    expect(topKFiles(result.dir)).toEqual(['epoch=1-step=20.ckpt', 'epoch=3-step=40.ckpt']);
    expect(result.callback.saveFailures).toBe(1);
    await expectConsistent(result);
  });

  it('two saves queued behind the failed one: each is ranked again against the committed files when its write starts', async () => {
    // Epochs 2 (0.3, fails), 3 (0.35) and 4 (0.32) were all decided against a top k that held epoch 2.
    const result = await run([0.5, 0.4, 0.3, 0.35, 0.32], 'warn');
    expect(result.completed).toEqual(['fail epoch=2-step=30.ckpt', 'write epoch=3-step=40.ckpt', 'write last.ckpt', 'write epoch=4-step=50.ckpt', 'write last.ckpt']);
    expect(topKFiles(result.dir)).toEqual(['epoch=3-step=40.ckpt', 'epoch=4-step=50.ckpt']);
    expect(result.atCommit.map((c) => [c.file, c.epoch])).toEqual([
      ['epoch=0-step=10.ckpt', 0],
      ['last.ckpt', 0],
      ['epoch=1-step=20.ckpt', 1],
      ['last.ckpt', 1],
      ['epoch=3-step=40.ckpt', 3],
      ['last.ckpt', 3],
      ['epoch=4-step=50.ckpt', 4],
      ['last.ckpt', 4],
    ]);
    await expectConsistent(result);
  });

  it('a failed directory fsync leaves the file complete in place: it counts as written, and the saves behind it go on as decided', async () => {
    const result = await run([0.5, 0.4, 0.3, 0.35], 'warn', 'fsync-dir');
    expect(result.completed).toEqual(['write epoch=2-step=30.ckpt', 'write last.ckpt', 'write epoch=3-step=40.ckpt', 'write last.ckpt']);
    expect(result.callback.saveFailures).toBe(1);
    expect(topKFiles(result.dir)).toEqual(['epoch=2-step=30.ckpt', 'epoch=3-step=40.ckpt']);
    expect(basename(result.callback.bestModelPath)).toBe('epoch=2-step=30.ckpt');
    await expectConsistent(result);
  });
});
