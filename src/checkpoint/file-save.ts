/**
 * Atomic, durable checkpoint writes: the bytes go to a temporary file in the target's directory, which is fsynced
 * and then renamed over the target, and the directory is fsynced so the rename itself is on disk. A crash at any
 * moment leaves the old file or the new one at the path, never a partial one.
 */
import { basename, dirname, join } from 'node:path';
import { WRITTEN_CHECKSUM, type RunningDigest } from './checksum.js';
import { CheckpointError } from './errors.js';
import { type CheckpointFileSystem, nodeFileSystem, type SaveFileHandle } from './file-system.js';
import { buildHeader, checkHeaderFits, checkHeaderNodes } from './header-write.js';
import { planLayout, tensorBytes } from './layout.js';
import { progressReporter } from './file-read.js';
import type { WithProgress } from './progress.js';
import { CheckpointSaveError, type SaveStage } from './save-error.js';
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

async function writeAll(handle: SaveFileHandle, buffers: readonly Uint8Array[], position: number): Promise<void> {
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
async function syncDirectory(fs: CheckpointFileSystem, dir: string): Promise<void> {
  let handle: SaveFileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
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

/** Removes a failed save's temporary file; what went wrong when it could not be removed. */
async function removeTemporary(fs: CheckpointFileSystem, temporary: string): Promise<{ path: string; error: string } | undefined> {
  try {
    await fs.unlink(temporary);
    return undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
    return { path: temporary, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Writes a checkpoint atomically. The tree is validated first (an unstorable value throws `invalid-state` before any
 * file is created). Tensor bytes are written straight from the tensors' memory, in batches, while the checksums of
 * the next batch are computed; the header (which holds the checksums) is written last, at the start of the file.
 * The tensors must not change until the returned promise settles (AsyncCheckpointSaver snapshots them for you).
 * Before writing, it removes this target's temporary files left by saves whose process has died (see sweep.ts).
 * A file-system failure is a {@link CheckpointSaveError} naming the stage and what to do; the temporary file is
 * removed, and the file at `path` is unchanged unless the failure came after the rename (`committed`).
 */
export async function saveCheckpoint(
  path: string,
  tree: StateTree,
  options?: SaveOptions & WithProgress,
  fs: CheckpointFileSystem = nodeFileSystem,
): Promise<void> {
  const encoded = encodeTree(tree, path);
  checkHeaderNodes(encoded, options?.checksums !== false, path);
  const layout = planLayout(encoded.tensors);
  const treeText = JSON.stringify(encoded.json);
  const bodies = layout.tensors.map(tensorBytes);
  const digests: RunningDigest[] | null = options?.checksums === false ? null : bodies.map(() => WRITTEN_CHECKSUM.start());
  // Checksums are fixed-width in the header, so its length is known before they are computed.
  const sizing = buildHeader(layout, treeText, digests === null ? null : digests.map(() => '0'.repeat(WRITTEN_CHECKSUM.hexDigits)));
  checkHeaderFits(sizing, path);
  const headerLength = sizing.length;
  const progress = progressReporter(headerLength + layout.dataBytes, options?.onProgress);

  const temporaryName = temporaryNameFor(basename(path));
  const temporary = join(dirname(path), temporaryName);
  let handle: SaveFileHandle | undefined;
  let inFlight: Promise<void> | undefined;
  let stage: SaveStage = 'open';
  // Registered before the sweep so that concurrent saves of this target in this thread never remove each other's file.
  registerTemporary(temporaryName);
  try {
    await removeLeftoversOf(path);
    handle = await fs.open(temporary, 'wx');
    stage = 'write';
    let position = headerLength;
    for (const batch of batchesOf(bodies)) {
      if (digests !== null) for (const piece of batch) digests[piece.body]!.update(piece.bytes);
      await inFlight;
      const size = batch.reduce((n, p) => n + p.bytes.length, 0);
      inFlight = writeAll(handle, batch.map((p) => p.bytes), position);
      position += size;
      progress.add(size);
    }
    await inFlight;
    inFlight = undefined;
    const header = buildHeader(layout, treeText, digests === null ? null : digests.map((d) => d.hex()));
    if (header.length !== headerLength) {
      throw new CheckpointError(path, 'io', `internal error: the header changed length (${headerLength} → ${header.length})`);
    }
    await writeAll(handle, [header], 0);
    stage = 'fsync';
    if (options?.durable !== false) await handle.sync();
    stage = 'close';
    const closing = handle;
    handle = undefined;
    await closing.close();
    stage = 'rename';
    await fs.rename(temporary, path);
  } catch (error) {
    await inFlight?.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    if (error instanceof CheckpointError) {
      await fs.unlink(temporary).catch(() => undefined);
      throw error;
    }
    // The temporary file exists from a successful open on; a failed open created nothing to remove.
    const temporaryLeft = stage === 'open' ? undefined : await removeTemporary(fs, temporary);
    throw new CheckpointSaveError(path, { stage, cause: error, ...(temporaryLeft ? { temporaryLeft } : {}) });
  } finally {
    unregisterTemporary(temporaryName);
  }
  if (options?.durable !== false) {
    try {
      await syncDirectory(fs, dirname(path));
    } catch (error) {
      throw new CheckpointSaveError(path, { stage: 'fsync-dir', cause: error });
    }
  }
  progress.finish();
}
