/**
 * Why a checkpoint could not be read or written. Every reason is a stable code that tools (the CLI, tests) can
 * switch on; the message says the same thing in words, names the file and says what to do.
 */
export type CheckpointErrorReason =
  /** The file ends before the header or the tensor data it declares. */
  | 'truncated'
  /** A stored checksum (XXH64, or CRC32 in format v1) does not match the bytes (a tensor or the header's contents). */
  | 'bad-checksum'
  /** A tensor's dtype is not one kindling knows. */
  | 'unknown-dtype'
  /** Two tensors' byte ranges overlap. */
  | 'overlapping-offsets'
  /** Byte ranges leave a hole, do not start at 0, disagree with dtype × shape, or leave bytes after the last tensor. */
  | 'bad-offsets'
  /** A shape that is not a list of non-negative integers. */
  | 'bad-shape'
  /** The file was written by a newer kindling (its format version is higher than this library's). */
  | 'newer-format'
  /** Tensor bytes that no value of the dtype has: a BOOL element other than 0 or 1. */
  | 'bad-value'
  /** The header is not the JSON object the format requires. */
  | 'bad-header'
  /** The declared header length is above the cap (a corrupt length, or not a checkpoint at all). */
  | 'header-too-large'
  /** The header is valid safetensors but carries no kindling state tree. */
  | 'not-kindling'
  /**
   * The header is over a read limit (`ReadLimits`: too many JSON values) or the tree nests deeper than
   * MAX_STATE_DEPTH; refused while parsing, before the cost grows.
   */
  | 'limits'
  /** The state tree in the header is malformed (e.g. references a tensor that is not in the file). */
  | 'bad-tree'
  /** The tree passed to save holds a value a checkpoint cannot store (a function, a Map, a cycle, …). */
  | 'invalid-state'
  /** The file does not exist. */
  | 'not-found'
  /** Any other file-system failure (permissions, disk full, …); `cause` is the system error. */
  | 'io';

/** The one error type of the checkpoint layer. `file` is the checkpoint's path (`<memory>` for in-memory bytes). */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';

  constructor(
    readonly file: string,
    readonly reason: CheckpointErrorReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${detail}`, options);
  }
}

/** The pseudo-path used in errors about in-memory bytes. */
export const IN_MEMORY = '<memory>';

/** Wraps a file-system error (keeps a CheckpointError as it is). */
export function ioError(file: string, action: string, error: unknown): CheckpointError {
  if (error instanceof CheckpointError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') {
    return new CheckpointError(file, 'not-found', `no such file (while trying to ${action})`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CheckpointError(file, 'io', `could not ${action}: ${message}`, { cause: error });
}
