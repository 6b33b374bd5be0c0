/**
 * The file-system calls an atomic save makes, as an interface: the default is node:fs/promises, and a wrapper can
 * inject faults (a full disk, a failing device) at any stage of a real save, so the recovery paths are tested on real
 * files (`new LocalCheckpointIO({ fileSystem })`). Only the calls of the save itself go through it; reads and the
 * best-effort sweep of crash leftovers use node:fs directly.
 */
import { open, rename, unlink } from 'node:fs/promises';

/** An open file, as a save uses it. */
export interface SaveFileHandle {
  writev(buffers: readonly Uint8Array[], position: number): Promise<{ readonly bytesWritten: number }>;
  /** fsync. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface CheckpointFileSystem {
  /** `'wx'`: create the temporary file (it must not exist); `'r'`: open a directory to fsync it. */
  open(path: string, flags: 'wx' | 'r'): Promise<SaveFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const nodeFileSystem: CheckpointFileSystem = {
  open: async (path, flags) => {
    const handle = await open(path, flags);
    return {
      writev: (buffers, position) => handle.writev(buffers as Uint8Array[], position),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename,
  unlink,
};
