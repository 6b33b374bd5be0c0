import type { WithProgress } from './progress.js';
import type { SaveOptions, StateTree } from './types.js';

/** Writes a checkpoint atomically: the path holds either the old file or the complete new one, never a partial one. */
export async function saveCheckpoint(path: string, tree: StateTree, options?: SaveOptions & WithProgress): Promise<void> {
  void path, tree, options;
  throw new Error('saveCheckpoint: not implemented yet');
}
