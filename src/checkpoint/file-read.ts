/** Low-level reading of checkpoint files: the header, and byte ranges read with as few copies as possible. */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { CheckpointError, ioError } from './errors.js';
import { checkDataSize, decodeHeaderText, headerLimits, headerTextOf, readHeaderLength, type DecodedHeader } from './header-read.js';
import type { ReadLimits } from './types.js';
import type { ProgressCallback } from './progress.js';

/** Size of the reads that stream a file; large enough for disk speed, small enough to overlap CPU work with IO. */
export const READ_CHUNK_BYTES = 16 * 1024 * 1024;

export interface OpenedCheckpoint {
  readonly handle: FileHandle;
  readonly fileBytes: number;
  readonly header: DecodedHeader;
  /** File offset of the data section (8 + header length). */
  readonly dataStart: number;
}

/** Fills `target` from `position`; a short read means the file shrank under us. */
export async function readFully(handle: FileHandle, target: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) {
      throw new CheckpointError(file, 'truncated', `the file ended at byte ${position + done} while reading (was it truncated while being read?)`);
    }
    done += bytesRead;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** Checkpoints are regular files (a symbolic link to one is followed). */
export function refuseNonRegular(stats: Stats, file: string): void {
  if (!stats.isFile()) {
    throw new CheckpointError(file, 'io', `this is ${kindOf(stats)}, not a checkpoint file; kindling reads checkpoints from regular files only`);
  }
}

/** Opens a checkpoint and reads and checks its header; on any error the file is closed again. */
export async function openCheckpoint(file: string, verifyHeader: boolean, limits?: ReadLimits): Promise<OpenedCheckpoint> {
  const { maxHeaderBytes } = headerLimits(limits);
  let handle: FileHandle;
  try {
    // Checked before opening: opening a FIFO for reading blocks until a writer appears (forever, holding a libuv
    // thread), and opening a device may have effects of its own.
    refuseNonRegular(await stat(file), file);
    // O_NONBLOCK: should the path be swapped for a FIFO after the check, the open still returns at once.
    handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw ioError(file, 'open the checkpoint', error);
  }
  try {
    const stats = await handle.stat();
    refuseNonRegular(stats, file);
    const fileBytes = stats.size;
    const prefix = new Uint8Array(8);
    if (fileBytes >= 8) await readFully(handle, prefix, 0, file);
    const headerLength = readHeaderLength(prefix, fileBytes, file, maxHeaderBytes);
    let json: Uint8Array | undefined = new Uint8Array(headerLength);
    await readFully(handle, json, 8, file);
    const source = { text: headerTextOf(json, file) as string | undefined };
    // Neither the bytes nor (once parsed) the text are needed any more: with a 100 MB header each is 100 MB.
    json = undefined;
    const header = decodeHeaderText(source, file, verifyHeader, limits);
    const dataStart = 8 + headerLength;
    checkDataSize(header, fileBytes - dataStart, file);
    return { handle, fileBytes, header, dataStart };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw ioError(file, 'read the checkpoint header', error);
  }
}

/**
 * Reads `length` bytes from `position` in chunks, handing each chunk to `consume` while the next one is being read
 * (the read runs on libuv's thread pool, so checksumming overlaps with IO). `chunkTarget` says where each chunk goes:
 * a slice of one big buffer for a load into fresh memory (in-place passes read through checked-read.ts instead).
 */
export async function streamRange(
  handle: FileHandle,
  file: string,
  position: number,
  length: number,
  chunkTarget: (index: number, offset: number, size: number) => Uint8Array,
  consume: (chunk: Uint8Array) => void,
  onProgress?: (bytes: number) => void,
  chunkBytes: number = READ_CHUNK_BYTES,
): Promise<void> {
  const count = Math.ceil(length / chunkBytes);
  const targetOf = (i: number): Uint8Array =>
    chunkTarget(i, i * chunkBytes, Math.min(chunkBytes, length - i * chunkBytes));
  let current = count > 0 ? targetOf(0) : undefined;
  let inFlight = current ? readFully(handle, current, position, file) : undefined;
  for (let i = 0; i < count; i++) {
    await inFlight;
    const chunk = current!;
    const nextIndex = i + 1;
    if (nextIndex < count) {
      current = targetOf(nextIndex);
      inFlight = readFully(handle, current, position + nextIndex * chunkBytes, file);
    } else {
      inFlight = undefined;
    }
    try {
      consume(chunk);
    } catch (error) {
      await inFlight?.catch(() => undefined);
      throw error;
    }
    onProgress?.(chunk.length);
  }
}

/** A progress reporter that accumulates byte counts; it always ends with one `(total, total)` call. */
export function progressReporter(total: number, callback: ProgressCallback | undefined): { add(bytes: number): void; finish(): void } {
  let done = 0;
  return {
    add(bytes) {
      done += bytes;
      if (done < total) callback?.(done, total);
    },
    finish() {
      callback?.(total, total);
    },
  };
}
