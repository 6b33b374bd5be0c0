import type { CheckpointIO, LoadOptions, SaveOptions, StateTree } from './types.js';
import { saveCheckpoint } from './file-save.js';
import { loadCheckpoint } from './file-load.js';

/** Checkpoints on the local file system (the default storage). */
export class LocalCheckpointIO implements CheckpointIO {
  save(path: string, tree: StateTree, options?: SaveOptions): Promise<void> {
    return saveCheckpoint(path, tree, options);
  }
  load(path: string, options?: LoadOptions): Promise<StateTree> {
    return loadCheckpoint(path, options);
  }
  async remove(path: string): Promise<void> {
    void path;
    throw new Error('LocalCheckpointIO.remove: not implemented yet');
  }
  async exists(path: string): Promise<boolean> {
    void path;
    throw new Error('LocalCheckpointIO.exists: not implemented yet');
  }
}
