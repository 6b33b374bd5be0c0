import type { LoadOptions, SaveOptions, StateTree } from './types.js';

/** The file's bytes as chunks (header first, then each tensor's bytes, sharing the tensors' memory). */
export function serializeCheckpoint(tree: StateTree, options?: SaveOptions): Uint8Array[] {
  void tree, options;
  throw new Error('serializeCheckpoint: not implemented yet');
}

/** Reads checkpoint bytes; tensors are views into `bytes` where alignment allows. */
export function deserializeCheckpoint(bytes: Uint8Array, options?: Omit<LoadOptions, 'into'>): StateTree {
  void bytes, options;
  throw new Error('deserializeCheckpoint: not implemented yet');
}
