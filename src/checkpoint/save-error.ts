/**
 * Why a save failed, in terms a user can act on: which file, at which stage of the atomic save, the system error
 * code, what became of the previous checkpoint and of the temporary file, and what to do about it.
 */
import { dirname } from 'node:path';
import { CheckpointError } from './errors.js';

/**
 * The stages of an atomic save (file-save.ts), in order: create the temporary file, write it, fsync it, close it,
 * rename it over the target, fsync the directory.
 */
export type SaveStage = 'open' | 'write' | 'fsync' | 'close' | 'rename' | 'fsync-dir';

const STAGE_WORDS: Record<SaveStage, string> = {
  open: 'creating the temporary file',
  write: 'writing the temporary file',
  fsync: 'flushing the temporary file to the disk (fsync)',
  close: 'closing the temporary file',
  rename: 'renaming the temporary file over the checkpoint',
  'fsync-dir': 'flushing the directory after the rename (fsync)',
};

/** What the system error means and what to do, by errno code. */
function adviceFor(code: string | undefined, dir: string): { what: string; fix: string } {
  switch (code) {
    case 'ENOSPC':
      return { what: 'the disk is full', fix: `free space on the file system that holds ${dir}, keep fewer checkpoints (saveTopK), or save to another disk (ModelCheckpoint dirpath)` };
    case 'EDQUOT':
      return { what: 'the disk quota is used up', fix: `free space in your quota on ${dir}, keep fewer checkpoints (saveTopK), or save to another disk` };
    case 'EACCES':
    case 'EPERM':
      return { what: 'permission denied', fix: `make ${dir} writable by this process, or save to another directory` };
    case 'EROFS':
      return { what: 'the file system is read-only', fix: `remount it read-write, or save to another directory` };
    case 'EIO':
      return { what: 'the device reported an I/O error', fix: `check the disk that holds ${dir} and the system log (dmesg): it may be failing; save to another disk` };
    case 'ENOENT':
      return { what: 'the directory does not exist', fix: `create ${dir}, or save to an existing directory` };
    default:
      return { what: code === undefined ? 'the save failed' : `system error ${code}`, fix: `check the file system that holds ${dir}` };
  }
}

export interface SaveFailure {
  readonly stage: SaveStage;
  readonly cause: unknown;
  /** The temporary file when it could not be removed (with why); undefined when it was removed or never created. */
  readonly temporaryLeft?: { readonly path: string; readonly error: string };
}

/**
 * A save that failed at one of its stages. `reason` is `'not-found'` when the directory is missing, else `'io'`.
 * Before the rename (`committed: false`) the file at the path is exactly what it was before the save; after it
 * (`'fsync-dir'`, `committed: true`) the new checkpoint is complete at the path, but its rename may not survive a
 * power loss.
 */
export class CheckpointSaveError extends CheckpointError {
  /** The system error code (`ENOSPC`, `EACCES`, `EIO`, …), when the cause had one. */
  readonly code: string | undefined;
  readonly stage: SaveStage;
  /** Whether the new checkpoint is in place at the path (only when the directory fsync failed). */
  readonly committed: boolean;
  /** A temporary file that could not be removed; the next save in the directory removes it (see sweep.ts). */
  readonly temporaryLeft: string | undefined;

  constructor(file: string, failure: SaveFailure) {
    const rawCode = (failure.cause as { code?: unknown } | null)?.code;
    const code = typeof rawCode === 'string' ? rawCode : undefined;
    const committed = failure.stage === 'fsync-dir';
    const { what, fix } = adviceFor(code, dirname(file));
    const system = failure.cause instanceof Error ? failure.cause.message : String(failure.cause);
    const previous = committed
      ? 'The new checkpoint is complete at this path, but after a power loss the previous one may be back.'
      : 'The previous checkpoint at this path, if there was one, is unchanged.';
    const temporary =
      failure.temporaryLeft === undefined
        ? committed ? '' : ' No temporary file was left.'
        : ` The temporary file ${failure.temporaryLeft.path} could not be removed (${failure.temporaryLeft.error}); delete it, or let the next save in this directory remove it.`;
    super(file, code === 'ENOENT' ? 'not-found' : 'io', `could not save the checkpoint: ${what} (${system}) while ${STAGE_WORDS[failure.stage]}. ${previous}${temporary} To fix: ${fix}.`, {
      cause: failure.cause,
    });
    this.code = code;
    this.stage = failure.stage;
    this.committed = committed;
    this.temporaryLeft = failure.temporaryLeft?.path;
  }
}
