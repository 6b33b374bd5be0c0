import { constants as bufferConstants } from 'node:buffer';
import { sameShape, zeros, type Tensor } from '../state/tensor.js';
import { assembleTree, checkTreeStructure, tensorOverBytes } from './assemble.js';
import { StreamingVerifier } from './checksum.js';
import { ioError } from './errors.js';
import { openCheckpoint, progressReporter, readFully, streamRange, type OpenedCheckpoint } from './file-read.js';
import { tensorBytes } from './layout.js';
import type { WithProgress } from './progress.js';
import { encodeTree } from './tree-codec.js';
import type { CheckpointInfo, LoadOptions, ReadOptions, StateTree } from './types.js';

/**
 * Loads a checkpoint. The header is checked completely before any tensor memory is allocated; with `verify` (the
 * default) every checksum is checked too. Tensors are views into one buffer holding the whole data section, read in
 * large chunks. With `into`, tensors whose name, dtype and shape match an existing tensor there are read straight
 * into its memory instead (see {@link loadInPlace}).
 */
export async function loadCheckpoint(path: string, options?: LoadOptions & WithProgress): Promise<StateTree> {
  const verify = options?.verify !== false;
  const opened = await openCheckpoint(path, verify, options?.limits);
  try {
    if (options?.into !== undefined) return await loadInPlace(opened, path, options.into, verify, options);
    // One buffer cannot exceed the engine's maximum (4 GiB on Node 20); larger files get one allocation per tensor.
    if (opened.header.dataBytes > bufferConstants.MAX_LENGTH) return await loadInPlace(opened, path, {}, verify, options);
    return await loadIntoOneBuffer(opened, path, verify, options);
  } catch (error) {
    throw ioError(path, 'read the checkpoint', error);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

async function loadIntoOneBuffer(opened: OpenedCheckpoint, file: string, verify: boolean, options?: WithProgress): Promise<StateTree> {
  const { header, handle, dataStart } = opened;
  // Not zero-filled (every byte is read over) and not pooled: byteOffset 0 keeps the file's alignment.
  const data = Buffer.allocUnsafeSlow(header.dataBytes);
  const verifier = verify && header.tensorCrcs !== null ? new StreamingVerifier(file, header.entries, header.tensorCrcs) : null;
  const progress = progressReporter(header.dataBytes, options?.onProgress);
  await streamRange(
    handle,
    file,
    dataStart,
    header.dataBytes,
    (_i, offset, size) => data.subarray(offset, offset + size),
    (chunk) => verifier?.update(chunk),
    progress.add,
  );
  const tensors = new Map<string, Tensor>();
  for (const entry of header.entries) tensors.set(entry.name, tensorOverBytes(entry, data.buffer, data.byteOffset + entry.begin));
  progress.finish();
  return assembleTree(header, tensors, file);
}

/**
 * In-place load. With verification on, the checksums are checked in a first streaming pass (through a small scratch
 * buffer, no allocation of the state's size) before any target is written, so a corrupt file leaves the targets as
 * they were. Tensors without a matching target get fresh memory.
 */
async function loadInPlace(
  opened: OpenedCheckpoint,
  file: string,
  into: StateTree,
  verify: boolean,
  options?: WithProgress,
): Promise<StateTree> {
  const { header, handle, dataStart } = opened;
  const targets = new Map(encodeTree(into, file).tensors.map((t) => [t.name, t.tensor]));
  // Everything that can reject the file is checked before the first target byte is written.
  checkTreeStructure(header, file);
  if (verify && header.tensorCrcs !== null) await verifyData(opened, file);
  const progress = progressReporter(header.dataBytes, options?.onProgress);
  const tensors = new Map<string, Tensor>();
  for (const entry of header.entries) {
    const existing = targets.get(entry.name);
    const target =
      existing !== undefined && existing.dtype === entry.dtype && sameShape(existing.shape, entry.shape)
        ? existing
        : zeros(entry.dtype, entry.shape);
    await readFully(handle, tensorBytes(target), dataStart + entry.begin, file);
    tensors.set(entry.name, target);
    progress.add(entry.end - entry.begin);
  }
  progress.finish();
  return assembleTree(header, tensors, file);
}

/**
 * Scratch chunk size of a verify-only pass. Smaller than a load's chunks: this memory comes on top of the state (an
 * in-place load's whole point is not to allocate it), and 4 MiB reads still keep the pipeline full.
 */
const VERIFY_CHUNK_BYTES = 4 * 1024 * 1024;

/** Streams the data section through two scratch buffers, checking every tensor's checksum. */
async function verifyData(opened: OpenedCheckpoint, file: string, onBytes?: (bytes: number) => void): Promise<void> {
  const { header, handle, dataStart } = opened;
  if (header.tensorCrcs === null) return;
  const verifier = new StreamingVerifier(file, header.entries, header.tensorCrcs);
  const scratchSize = Math.min(VERIFY_CHUNK_BYTES, header.dataBytes);
  // allocUnsafeSlow: unpooled, so the memory is returned when the pass ends.
  const scratch = [Buffer.allocUnsafeSlow(scratchSize), Buffer.allocUnsafeSlow(scratchSize)];
  await streamRange(
    handle,
    file,
    dataStart,
    header.dataBytes,
    (i, _offset, size) => scratch[i % 2]!.subarray(0, size),
    (chunk) => verifier.update(chunk),
    onBytes,
    VERIFY_CHUNK_BYTES,
  );
}

function infoOf(opened: OpenedCheckpoint, file: string): CheckpointInfo {
  const { header } = opened;
  const tree = header.tree as Record<string, unknown>;
  return {
    file,
    fileBytes: opened.fileBytes,
    formatVersion: header.storedVersion,
    headerBytes: opened.dataStart,
    sections: Object.keys(tree).map((key) => (key.startsWith('$$') ? key.slice(1) : key)),
    tensors: header.entries.map((e) => {
      const crc = header.tensorCrcs?.get(e.name);
      return {
        name: e.name,
        dtype: e.dtype,
        shape: e.shape,
        byteLength: e.end - e.begin,
        dataOffsets: [e.begin, e.end] as const,
        ...(crc === undefined ? {} : { crc32: crc }),
      };
    }),
    tensorBytes: header.dataBytes,
    hasChecksums: header.tensorCrcs !== null,
  };
}

/**
 * The header's facts, after checking the header completely (including its checksum) against itself and the file
 * size. Reads no tensor bytes.
 */
export async function readCheckpointInfo(path: string, options?: ReadOptions): Promise<CheckpointInfo> {
  const opened = await openCheckpoint(path, true, options?.limits);
  await opened.handle.close().catch(() => undefined);
  checkTreeStructure(opened.header, path);
  return infoOf(opened, path);
}

/**
 * Checks the whole file: the header as {@link readCheckpointInfo} does, then every tensor's checksum, reading the
 * data through a small buffer. Throws a CheckpointError on the first problem. A file saved without checksums gets
 * the structural checks only (`hasChecksums` is false in the result).
 */
export async function verifyCheckpoint(path: string, options?: ReadOptions & WithProgress): Promise<CheckpointInfo> {
  const opened = await openCheckpoint(path, true, options?.limits);
  try {
    checkTreeStructure(opened.header, path);
    const total = opened.header.tensorCrcs === null ? 0 : opened.header.dataBytes;
    const progress = progressReporter(total, options?.onProgress);
    await verifyData(opened, path, progress.add);
    progress.finish();
    return infoOf(opened, path);
  } catch (error) {
    throw ioError(path, 'verify the checkpoint', error);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}
