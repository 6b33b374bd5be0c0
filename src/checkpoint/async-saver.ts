import type { CheckpointIO, SaveOptions, StateTree } from './types.js';
import { LocalCheckpointIO } from './local-io.js';

/** Saves in the background from a snapshot; at most one save in flight. */
export class AsyncCheckpointSaver {
  constructor(private readonly io: CheckpointIO = new LocalCheckpointIO()) {}

  /** Snapshots `tree` and starts writing it; resolves once the snapshot is taken. */
  async save(path: string, tree: StateTree, options?: SaveOptions): Promise<void> {
    void this.io, path, tree, options;
    throw new Error('AsyncCheckpointSaver.save: not implemented yet');
  }

  /** Waits for the save in flight; throws if it failed. */
  async flush(): Promise<void> {
    throw new Error('AsyncCheckpointSaver.flush: not implemented yet');
  }

  /** Waits for the save in flight and rejects further saves; throws if a save failed. */
  async close(): Promise<void> {
    throw new Error('AsyncCheckpointSaver.close: not implemented yet');
  }
}
