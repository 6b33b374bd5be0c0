import type { Tensor } from '../state/tensor.js';
import type { CheckpointScan } from './find-checkpoints.js';

/**
 * A state tree: what components' `stateDict()`s produce and what a checkpoint file holds. Leaves are JSON values,
 * non-finite numbers and -0 (kept exactly), and Tensors. An object member whose value is `undefined` is an absent
 * key (as an optional `?` field of a generated state type allows), and is not written.
 */
export type StateValue =
  | null
  | boolean
  | number
  | string
  | Tensor
  | readonly StateValue[]
  | { readonly [key: string]: StateValue | undefined };

export type StateTree = { readonly [key: string]: StateValue | undefined };

/** Per-tensor facts from a checkpoint header. */
export interface TensorInfo {
  /** Path in the state tree, dot-joined: `state.module.layer1.weight`. */
  readonly name: string;
  readonly dtype: Tensor['dtype'];
  readonly shape: readonly number[];
  readonly byteLength: number;
  /** `[begin, end)` of the tensor's bytes, relative to the start of the data section (after the header). */
  readonly dataOffsets: readonly [number, number];
  /**
   * The stored digest of the tensor's bytes as hex, when the file has checksums: XXH64 (16 digits) in format version
   * 2, CRC32 (8 digits) in version 1 (`CheckpointInfo.checksumAlgorithm` says which).
   */
  readonly checksum?: string;
}

/** What `readCheckpointInfo` reports without reading tensor bytes. */
export interface CheckpointInfo {
  readonly file: string;
  readonly fileBytes: number;
  /** The version the file was written in (it may be older than FORMAT_VERSION; loading migrates it). */
  readonly formatVersion: number;
  /** Bytes before the data section: the 8-byte length field plus the padded JSON header. */
  readonly headerBytes: number;
  /** Top-level keys of the state tree. */
  readonly sections: readonly string[];
  readonly tensors: readonly TensorInfo[];
  readonly tensorBytes: number;
  readonly hasChecksums: boolean;
  /** The checksum the file carries: `'xxh64'` (format version 2), `'crc32'` (version 1), or null without checksums. */
  readonly checksumAlgorithm: 'crc32' | 'xxh64' | null;
}

export interface SaveOptions {
  /** Compute and store checksums, XXH64 of every tensor and of the header (default true). */
  readonly checksums?: boolean;
  /**
   * fsync the file and its directory so the checkpoint survives a power loss (default true). With `false` the save
   * is still atomic against process crashes (temporary file + rename), just not flushed to the disk.
   */
  readonly durable?: boolean;
}

/** What reading one header may cost; a file over a limit is refused with `reason: 'limits'`. */
export interface ReadLimits {
  /** Largest JSON header accepted, in bytes (default MAX_HEADER_BYTES, 100 MB, as safetensors). */
  readonly maxHeaderBytes?: number;
  /**
   * Most JSON values the header and its state tree may hold together (default MAX_HEADER_NODES, 1 million),
   * enforced while parsing, so a refusal costs no more than the limit.
   */
  readonly maxHeaderNodes?: number;
}

/** Options of every function that reads a header (`readCheckpointInfo`, `verifyCheckpoint`, loads). */
export interface ReadOptions {
  /** Bounds on the header's size and complexity (the defaults are sized for real checkpoints). */
  readonly limits?: ReadLimits;
}

export interface CheckpointLoadOptions extends ReadOptions {
  /**
   * Verify stored checksums (default true). With `into`, `true` checks the whole file in a first pass before any
   * target is written, then checks again as the bytes land in the targets (so a file that changes in between is
   * caught); `'while-reading'` checks in that one pass only, reading the file once, but a corrupt file may then leave
   * targets partly overwritten when the load throws. Without `into` both mean the same single checked pass.
   */
  readonly verify?: boolean | 'while-reading';
  /**
   * An existing state tree whose tensors are filled in place: each tensor of the file is read into the tensor found
   * at the same tree path in `into`, when dtype and shape match (no fresh allocation). Other tensors are created.
   */
  readonly into?: StateTree;
}

/** Storage for checkpoint files; the local filesystem is the default. */
export interface CheckpointIO {
  save(path: string, tree: StateTree, options?: SaveOptions): Promise<void>;
  load(path: string, options?: CheckpointLoadOptions): Promise<StateTree>;
  remove(path: string): Promise<void>;
  exists(path: string): Promise<boolean>;
  /**
   * The whole file as bytes, for files that are not kindling checkpoints (a plain safetensors file written by Python,
   * which `module.loadWeights` reads). Optional: a storage backend without it cannot load such files, and says so.
   */
  readBytes?(path: string): Promise<Uint8Array>;
  /**
   * The complete checkpoints in a directory, newest first by the `globalStep` and `epoch` they record (see
   * find-checkpoints.ts); never a save's temporary file. `ckptPath: 'last'` uses it to resume after a crash.
   * Optional: without it, `'last'` is the running ModelCheckpoint's `lastModelPath`.
   */
  findCheckpoints?(dir: string): Promise<CheckpointScan>;
}
