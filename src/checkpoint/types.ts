import type { Tensor } from '../state/tensor.js';

/**
 * A state tree: what components' `stateDict()`s produce and what a checkpoint file holds. Leaves are JSON values,
 * non-finite numbers and -0 (kept exactly), and Tensors.
 */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Tensor
  | readonly StateValue[]
  | { readonly [key: string]: StateValue };

export type StateTree = { readonly [key: string]: StateValue };

/** Per-tensor facts from a checkpoint header. */
export interface TensorInfo {
  /** Path in the state tree, dot-joined: `state.module.layer1.weight`. */
  readonly name: string;
  readonly dtype: Tensor['dtype'];
  readonly shape: readonly number[];
  readonly byteLength: number;
}

/** What `inspectCheckpoint` reports without reading tensor bytes. */
export interface CheckpointInfo {
  readonly file: string;
  readonly fileBytes: number;
  readonly formatVersion: number;
  /** Top-level keys of the state tree. */
  readonly sections: readonly string[];
  readonly tensors: readonly TensorInfo[];
  readonly tensorBytes: number;
  readonly hasChecksums: boolean;
}

export interface SaveOptions {
  /** Compute and store CRC32 checksums (default true). */
  readonly checksums?: boolean;
}

export interface LoadOptions {
  /** Verify stored checksums (default true). */
  readonly verify?: boolean;
  /**
   * An existing state tree whose tensors are filled in place when name, dtype and shape match (no fresh
   * allocation); other tensors are created as views into one read buffer.
   */
  readonly into?: StateTree;
}

/** Storage for checkpoint files; the local filesystem is the default. */
export interface CheckpointIO {
  save(path: string, tree: StateTree, options?: SaveOptions): Promise<void>;
  load(path: string, options?: LoadOptions): Promise<StateTree>;
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
}
