import type { WithProgress } from './progress.js';
import type { CheckpointInfo, LoadOptions, StateTree } from './types.js';

export async function loadCheckpoint(path: string, options?: LoadOptions & WithProgress): Promise<StateTree> {
  void path, options;
  throw new Error('loadCheckpoint: not implemented yet');
}

/** The header's facts; reads no tensor bytes. */
export async function readCheckpointInfo(path: string): Promise<CheckpointInfo> {
  void path;
  throw new Error('readCheckpointInfo: not implemented yet');
}

/** Checks the whole file (structure and every checksum); throws a CheckpointError on the first problem. */
export async function verifyCheckpoint(path: string, options?: WithProgress): Promise<CheckpointInfo> {
  void path, options;
  throw new Error('verifyCheckpoint: not implemented yet');
}
