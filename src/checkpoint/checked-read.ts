/**
 * Reading bytes that must be checked (checksums, BOOL values) as they arrive. Checksumming is limited by memory, not by
 * arithmetic: measured on the 2-core development VM, zlib.crc32 ran at 0.17 s per GiB over bytes still in the core's
 * cache and at 0.5 s per GiB over bytes that come from RAM or were written by another core (BENCHMARKS.md, "Verified
 * loads").
 * So each piece is read on the thread that checks it (a synchronous read of at most PIECE_BYTES, small enough to stay
 * in the core's L2 cache) and checked right away, instead of being read on libuv's pool and checked later, cold. Used
 * where the destination's memory is already touched or small (an in-place load's targets, a verify pass's scratch
 * buffer): there the read is a cheap copy and the checksum is most of the work. A load into fresh memory keeps its
 * reads on the pool (file-load.ts).
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CheckpointError } from './errors.js';

/** Bytes per synchronous read: the piece is checked while it is still in the core's cache (2 MiB L2 here). */
export const PIECE_BYTES = 1024 * 1024;
/** Bytes between two returns to the event loop: a window of pieces blocks it for about 4 ms. */
export const WINDOW_BYTES = 16 * 1024 * 1024;

export interface CheckedReadOptions {
  /** Where the range's bytes `[offset, offset + size)` go: a subarray of the destination, or of a scratch buffer. */
  readonly target: (offset: number, size: number) => Uint8Array;
  /** Called with each piece right after it was read, in order, while it is in cache; may throw to stop the read. */
  readonly consume: (piece: Uint8Array) => void;
  readonly onProgress?: (bytes: number) => void;
}

/** Reads `length` bytes of the file from `position`, piece by piece, handing each piece to `consume` at once. */
export async function readChecked(handle: FileHandle, file: string, position: number, length: number, options: CheckedReadOptions): Promise<void> {
  const { target, consume, onProgress } = options;
  for (let window = 0; window < length; window += WINDOW_BYTES) {
    if (window > 0) await yieldToEventLoop();
    const end = Math.min(length, window + WINDOW_BYTES);
    for (let offset = window; offset < end; offset += PIECE_BYTES) {
      const piece = target(offset, Math.min(PIECE_BYTES, end - offset));
      readPieceSync(handle.fd, piece, position + offset, file);
      consume(piece);
    }
    onProgress?.(end - window);
  }
}

/** Fills `piece` from `position`; a short read means the file shrank under us. */
function readPieceSync(fd: number, piece: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < piece.length) {
    const bytesRead = readSync(fd, piece, done, piece.length - done, position + done);
    if (bytesRead === 0) {
      throw new CheckpointError(file, 'truncated', `the file ended at byte ${position + done} while reading (was it truncated while being read?)`);
    }
    done += bytesRead;
  }
}
