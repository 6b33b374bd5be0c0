import { access, readFile, stat, unlink } from 'node:fs/promises';
import { ioError } from './errors.js';
import { loadCheckpoint } from './file-load.js';
import { refuseNonRegular } from './file-read.js';
import { saveCheckpoint } from './file-save.js';
import type { CheckpointFileSystem } from './file-system.js';
import { type CheckpointScan, findCheckpoints } from './find-checkpoints.js';
import type { WithProgress } from './progress.js';
import type { CheckpointIO, CheckpointLoadOptions, SaveOptions, StateTree } from './types.js';

export interface LocalCheckpointIOOptions {
  /**
   * The file-system calls of a save (create, write, fsync, close, rename, fsync the directory); default node:fs.
   * A wrapper can inject faults, such as a full disk at the fsync, to test what a run does when a save fails.
   */
  readonly fileSystem?: CheckpointFileSystem;
}

/**
 * Checkpoints on the local file system: the default {@link CheckpointIO}. A failed save throws a
 * `CheckpointSaveError` (the stage, the errno code, what to do) and leaves the previous file and no temporary file.
 */
export class LocalCheckpointIO implements CheckpointIO {
  private readonly fileSystem: CheckpointFileSystem | undefined;

  constructor(options: LocalCheckpointIOOptions = {}) {
    this.fileSystem = options.fileSystem;
  }

  save(path: string, tree: StateTree, options?: SaveOptions & WithProgress): Promise<void> {
    return saveCheckpoint(path, tree, options, this.fileSystem);
  }

  load(path: string, options?: CheckpointLoadOptions & WithProgress): Promise<StateTree> {
    return loadCheckpoint(path, options);
  }

  /** Deletes the checkpoint; a file that is already gone is not an error. */
  async remove(path: string): Promise<void> {
    try {
      await unlink(path);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw ioError(path, 'remove the checkpoint', error);
    }
  }

  /** The file's bytes; like every read, it refuses what is not a regular file (a FIFO would block forever). */
  async readBytes(path: string): Promise<Uint8Array> {
    try {
      refuseNonRegular(await stat(path), path);
      return await readFile(path);
    } catch (error) {
      throw ioError(path, 'read the file', error);
    }
  }

  findCheckpoints(dir: string): Promise<CheckpointScan> {
    return findCheckpoints(dir);
  }

  async exists(path: string): Promise<boolean> {
    try {
      await access(path);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return false;
      throw ioError(path, 'check whether the checkpoint exists', error);
    }
  }
}
