/**
 * Atomic, durable checkpoint writes: the bytes go to a temporary file in the target's directory, which is fsynced
 * and then renamed over the target, and the directory is fsynced so the rename itself is on disk. A crash at any
 * moment leaves the old file or the new one at the path, never a partial one.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crcOf } from './checksum.js';
import { CheckpointError, ioError } from './errors.js';
import { buildHeader, checkHeaderFits, checkHeaderNodes } from './header-write.js';
import { planLayout, tensorBytes } from './layout.js';
import { progressReporter } from './file-read.js';
import type { WithProgress } from './progress.js';
import { sweepStaleTempFiles } from './sweep.js';
import { temporaryNameFor } from './temp-names.js';
import { registerTemporary, unregisterTemporary } from './temp-registry.js';
import { encodeTree } from './tree-codec.js';
import type { SaveOptions, StateTree } from './types.js';

/** Each writev call carries at most this many bytes, so checksumming the next batch overlaps with writing this one. */
const WRITE_BATCH_BYTES = 16 * 1024 * 1024;
/** Below the usual IOV_MAX (1024). */
const WRITE_BATCH_BUFFERS = 512;

interface Piece {
  readonly body: number;
  readonly bytes: Uint8Array;
}

/** Splits the tensors' bytes into writev batches of bounded size (views, no copies). */
function batchesOf(bodies: readonly Uint8Array[]): Piece[][] {
  const batches: Piece[][] = [];
  let batch: Piece[] = [];
  let size = 0;
  bodies.forEach((bytes, body) => {
    for (let offset = 0; offset < bytes.length; ) {
      const take = Math.min(bytes.length - offset, WRITE_BATCH_BYTES - size);
      batch.push({ body, bytes: bytes.subarray(offset, offset + take) });
      size += take;
      offset += take;
      if (size >= WRITE_BATCH_BYTES || batch.length >= WRITE_BATCH_BUFFERS) {
        batches.push(batch);
        batch = [];
        size = 0;
      }
    }
  });
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function writeAll(handle: FileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
  let pending = buffers.filter((b) => b.length > 0);
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, position);
    position += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const b of pending) {
      if (skip >= b.length) skip -= b.length;
      else {
        rest.push(b.subarray(skip));
        skip = 0;
      }
    }
    pending = rest;
  }
}

/** fsync a directory so a rename in it is durable; platforms that cannot fsync directories are tolerated. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Removes the temporary files that killed earlier saves of this target left behind. Best effort: whatever goes wrong
 * here (an unreadable directory, a file that cannot be removed) must not fail the save, which reports its own errors.
 */
async function removeLeftoversOf(path: string): Promise<void> {
  await sweepStaleTempFiles(dirname(path), { target: basename(path) }).catch(() => undefined);
}

/**
 * Writes a checkpoint atomically. The tree is validated first (an unstorable value throws `invalid-state` before any
 * file is created). Tensor bytes are written straight from the tensors' memory, in batches, while the checksums of
 * the next batch are computed; the header (which holds the checksums) is written last, at the start of the file.
 * The tensors must not change until the returned promise settles (AsyncCheckpointSaver snapshots them for you).
 * Before writing, it removes this target's temporary files left by saves whose process has died (see sweep.ts).
 */
export async function saveCheckpoint(path: string, tree: StateTree, options?: SaveOptions & WithProgress): Promise<void> {
  const encoded = encodeTree(tree, path);
  checkHeaderNodes(encoded, options?.checksums !== false, path);
  const layout = planLayout(encoded.tensors);
  const treeText = JSON.stringify(encoded.json);
  const bodies = layout.tensors.map(tensorBytes);
  const crcs = options?.checksums === false ? null : bodies.map(() => 0);
  // Checksums are fixed-width in the header, so its length is known before they are computed.
  const sizing = buildHeader(layout, treeText, crcs);
  checkHeaderFits(sizing, path);
  const headerLength = sizing.length;
  const progress = progressReporter(headerLength + layout.dataBytes, options?.onProgress);

  const temporaryName = temporaryNameFor(basename(path));
  const temporary = join(dirname(path), temporaryName);
  let handle: FileHandle | undefined;
  let inFlight: Promise<void> | undefined;
  // Registered before the sweep so that concurrent saves of this target in this thread never remove each other's file.
  registerTemporary(temporaryName);
  try {
    await removeLeftoversOf(path);
    handle = await open(temporary, 'wx');
    let position = headerLength;
    for (const batch of batchesOf(bodies)) {
      if (crcs !== null) for (const piece of batch) crcs[piece.body] = crcOf(piece.bytes, crcs[piece.body]);
      await inFlight;
      const size = batch.reduce((n, p) => n + p.bytes.length, 0);
      inFlight = writeAll(handle, batch.map((p) => p.bytes), position);
      position += size;
      progress.add(size);
    }
    await inFlight;
    inFlight = undefined;
    const header = buildHeader(layout, treeText, crcs);
    if (header.length !== headerLength) {
      throw new CheckpointError(path, 'io', `internal error: the header changed length (${headerLength} → ${header.length})`);
    }
    await writeAll(handle, [header], 0);
    if (options?.durable !== false) await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await inFlight?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw ioError(path, 'write the checkpoint', error);
  } finally {
    unregisterTemporary(temporaryName);
  }
  if (options?.durable !== false) {
    try {
      await syncDirectory(dirname(path));
    } catch (error) {
      throw ioError(path, 'flush the directory after renaming the checkpoint into place', error);
    }
  }
  progress.finish();
}
