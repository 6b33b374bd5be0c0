import { CheckpointError } from './errors.js';
import { LocalCheckpointIO } from './local-io.js';
import { snapshotTree } from './snapshot.js';
import type { CheckpointIO, SaveOptions, StateTree } from './types.js';

/**
 * Saves checkpoints in the background so training can go on while the file is written.
 *
 * - `save()` copies the tree (a snapshot: tensors included) and resolves as soon as the copy is taken; the write
 *   continues in the background. Changing the state after `save()` resolves never changes the file.
 * - At most one save is in flight, and at most one snapshot is held: a `save()` called while another is still
 *   writing first waits for that write to finish (then snapshots). Memory stays bounded by one extra copy of the
 *   state; the cost is that a checkpoint interval shorter than a write blocks training until the write is done.
 * - A background failure is never lost: it is thrown by the next `save()` (which then does not start its own save),
 *   by `flush()` or by `close()`. Always `close()` (or `flush()`) before exiting.
 */
export class AsyncCheckpointSaver {
  /** Resolves when the previous save has finished writing; never rejects (failures go to `failure`). */
  private queue: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private closed = false;

  constructor(private readonly io: CheckpointIO = new LocalCheckpointIO()) {}

  /** Snapshots `tree` and starts writing it to `path`; resolves once the snapshot is taken. */
  async save(path: string, tree: StateTree, options?: SaveOptions): Promise<void> {
    if (this.closed) throw new CheckpointError(path, 'io', 'the AsyncCheckpointSaver is closed; create a new one to save');
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise((resolve) => (release = resolve));
    try {
      await previous;
      this.throwFailure();
      const snapshot = snapshotTree(tree, path, options?.checksums !== false);
      this.io.save(path, snapshot, options).then(release, (error: unknown) => {
        this.failure = { error };
        release();
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Waits until every save so far is written; throws the failure of a background save, if one failed. */
  async flush(): Promise<void> {
    await this.queue;
    this.throwFailure();
  }

  /** Like {@link flush}, then refuses further saves. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private throwFailure(): void {
    const failure = this.failure;
    if (failure === undefined) return;
    this.failure = undefined;
    throw failure.error;
  }
}
