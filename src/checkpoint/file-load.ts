import { constants as bufferConstants } from 'node:buffer';
import { isTensor, sameShape, zeros, type Tensor } from '../state/tensor.js';
import { assembleTree, checkTreeStructure, tensorOverBytes } from './assemble.js';
import { StreamingVerifier } from './streaming-verifier.js';
import { PIECE_BYTES, readChecked } from './checked-read.js';
import { CheckpointError, ioError } from './errors.js';
import type { TensorEntry } from './layout.js';
import { TENSOR_MARKER, type Json } from './tree-codec.js';
import { isPlainObject } from '../state/values.js';
import { openCheckpoint, progressReporter, readFully, streamRange, type OpenedCheckpoint } from './file-read.js';
import { tensorBytes } from './layout.js';
import type { WithProgress } from './progress.js';
import type { CheckpointInfo, CheckpointLoadOptions, ReadOptions, StateTree } from './types.js';

/**
 * Loads a checkpoint. The header is checked completely before any tensor memory is allocated; with `verify` (the
 * default) every checksum is checked too. Tensors are views into one buffer holding the whole data section, read in
 * large chunks. With `into`, tensors whose tree path, dtype and shape match an existing tensor there are read straight
 * into its memory instead (see {@link loadInPlace}).
 */
export async function loadCheckpoint(path: string, options?: CheckpointLoadOptions & WithProgress): Promise<StateTree> {
  const verify = options?.verify ?? true;
  const opened = await openCheckpoint(path, verify !== false, options?.limits);
  try {
    if (options?.into !== undefined) return await loadInPlace(opened, path, options.into, verify, options);
    // One buffer cannot exceed the engine's maximum (4 GiB on Node 20); larger files get one allocation per tensor.
    // Fresh memory needs no protection from a corrupt file, so one checking pass is enough.
    if (opened.header.dataBytes > bufferConstants.MAX_LENGTH) {
      return await loadInPlace(opened, path, {}, verify === false ? false : 'while-reading', options);
    }
    return await loadIntoOneBuffer(opened, path, verify !== false, options);
  } catch (error) {
    throw ioError(path, 'read the checkpoint', error);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

/** The checks of a stream of the data section: checksums when verifying, BOOL values always; null when none apply. */
function dataVerifier(opened: OpenedCheckpoint, file: string, verify: boolean): StreamingVerifier | null {
  const digests = verify ? opened.header.tensorDigests : null;
  return StreamingVerifier.needed(opened.header.entries, digests) ? new StreamingVerifier(file, opened.header.entries, digests) : null;
}

async function loadIntoOneBuffer(opened: OpenedCheckpoint, file: string, verify: boolean, options?: WithProgress): Promise<StateTree> {
  const { header, handle, dataStart } = opened;
  // Not zero-filled (every byte is read over) and not pooled: byteOffset 0 keeps the file's alignment.
  const data = Buffer.allocUnsafeSlow(header.dataBytes);
  const verifier = dataVerifier(opened, file, verify);
  const progress = progressReporter(header.dataBytes, options?.onProgress);
  // Read on libuv's pool, checked here meanwhile. Not checked-read.ts's same-thread pieces: into fresh memory the
  // page faults make the read as costly as the checksum, and those pieces (alone, or behind a look-ahead read on the
  // pool that took the page faults) measured no faster than this overlap of a read and a cold checksum on two
  // threads (BENCHMARKS.md, "Verified loads").
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
 * In-place load. Each file tensor goes into the target at the tree path that refers to it (names are free-form,
 * so they say nothing about where a tensor belongs). With `verify: true` the whole file is checked in a first
 * streaming pass (through a small scratch buffer) before any target is written, so a corrupt file leaves the targets
 * as they were; the second pass, which reads into the targets, checks the same bytes again as they land, so a file
 * that changed in between is refused too (its targets may then be partly written). `'while-reading'` does only the
 * second pass. Tensors without a matching target get fresh memory.
 */
async function loadInPlace(
  opened: OpenedCheckpoint,
  file: string,
  into: StateTree,
  verify: boolean | 'while-reading',
  options?: WithProgress,
): Promise<StateTree> {
  const { header, handle, dataStart } = opened;
  // Everything that can reject the file without its bytes is checked before the first target byte is written.
  checkTreeStructure(header, file);
  const targets = targetsByPath(header.tree, into, header.entries);
  const twoPasses = verify === true && StreamingVerifier.needed(header.entries, header.tensorDigests);
  if (twoPasses) await verifyData(opened, file, true);
  const verifier = dataVerifier(opened, file, verify !== false);
  const progress = progressReporter(header.dataBytes, options?.onProgress);
  const tensors = new Map<string, Tensor>();
  try {
    for (const entry of header.entries) {
      const target = targets.get(entry.name) ?? zeros(entry.dtype, entry.shape);
      const bytes = tensorBytes(target);
      if (verifier === null) await readFully(handle, bytes, dataStart + entry.begin, file);
      else {
        const piece = (offset: number, size: number): Uint8Array => bytes.subarray(offset, offset + size);
        await readChecked(handle, file, dataStart + entry.begin, bytes.length, { target: piece, consume: (p) => verifier.update(p) });
      }
      tensors.set(entry.name, target);
      progress.add(entry.end - entry.begin);
    }
  } catch (error) {
    if (twoPasses && error instanceof CheckpointError && (error.reason === 'bad-checksum' || error.reason === 'bad-value')) {
      throw new CheckpointError(
        file,
        error.reason,
        `the file changed while it was being loaded: it passed verification, then ${error.message.slice(file.length + 2)} ` +
          '(some targets may hold part of the new bytes; load again once nothing writes the file)',
      );
    }
    throw error;
  }
  progress.finish();
  return assembleTree(header, tensors, file);
}

/**
 * The target of each file tensor: the tensor at the same tree path in `into` (the first path, for a tensor the file
 * refers to at several), when its dtype and shape match the file's. A target already taken by another file tensor is
 * not used twice: two file tensors must not be read into one memory.
 */
function targetsByPath(tree: Json, into: StateTree, entries: readonly TensorEntry[]): Map<string, Tensor> {
  const entryOf = new Map(entries.map((e) => [e.name, e]));
  const out = new Map<string, Tensor>();
  const taken = new Set<Tensor>();
  const visit = (value: Json, target: unknown): void => {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      if (!Array.isArray(target)) return;
      const n = Math.min(value.length, target.length);
      for (let i = 0; i < n; i++) visit(value[i]!, target[i]);
      return;
    }
    const payload = value[TENSOR_MARKER];
    if (typeof payload === 'string') {
      const entry = entryOf.get(payload);
      if (entry === undefined || out.has(payload) || !isTensor(target) || taken.has(target)) return;
      if (target.dtype !== entry.dtype || !sameShape(target.shape, entry.shape)) return;
      out.set(payload, target);
      taken.add(target);
      return;
    }
    if (!isPlainObject(target)) return;
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') && !key.startsWith('$$')) continue;
      const stateKey = key.startsWith('$$') ? key.slice(1) : key;
      if (Object.prototype.hasOwnProperty.call(target, stateKey)) visit(value[key]!, target[stateKey]);
    }
  };
  visit(tree, into);
  return out;
}

/**
 * Reads the data section through one scratch buffer of a piece's size (it stays in cache, and an in-place load's
 * whole point is not to allocate the state's size), checking every tensor's checksum (and BOOL values).
 */
async function verifyData(opened: OpenedCheckpoint, file: string, verify: boolean, onBytes?: (bytes: number) => void): Promise<void> {
  const { header, handle, dataStart } = opened;
  const verifier = dataVerifier(opened, file, verify);
  if (verifier === null) return;
  // allocUnsafeSlow: unpooled, so the memory is returned when the pass ends.
  const scratch = Buffer.allocUnsafeSlow(Math.min(PIECE_BYTES, header.dataBytes));
  await readChecked(handle, file, dataStart, header.dataBytes, {
    target: (_offset, size) => scratch.subarray(0, size),
    consume: (piece) => verifier.update(piece),
    ...(onBytes === undefined ? {} : { onProgress: onBytes }),
  });
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
      const checksum = header.tensorDigests?.byName.get(e.name);
      return {
        name: e.name,
        dtype: e.dtype,
        shape: e.shape,
        byteLength: e.end - e.begin,
        dataOffsets: [e.begin, e.end] as const,
        ...(checksum === undefined ? {} : { checksum }),
      };
    }),
    tensorBytes: header.dataBytes,
    hasChecksums: header.tensorDigests !== null,
    checksumAlgorithm: header.tensorDigests?.scheme.algorithm ?? null,
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
 * The header's facts and its state tree JSON as the file stores it (tensors as `{"$tensor": name}`, special numbers
 * as `{"$number": …}`, `$`-keys escaped; docs/checkpoint-format.md), after the checks of {@link readCheckpointInfo}.
 * For tools that show the non-tensor state without reading tensor bytes (`kindling inspect --tree`).
 */
export async function readCheckpointTree(path: string, options?: ReadOptions): Promise<{ info: CheckpointInfo; tree: Json }> {
  const opened = await openCheckpoint(path, true, options?.limits);
  await opened.handle.close().catch(() => undefined);
  checkTreeStructure(opened.header, path);
  return { info: infoOf(opened, path), tree: opened.header.tree };
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
    const checked = StreamingVerifier.needed(opened.header.entries, opened.header.tensorDigests);
    const progress = progressReporter(checked ? opened.header.dataBytes : 0, options?.onProgress);
    await verifyData(opened, path, true, progress.add);
    progress.finish();
    return infoOf(opened, path);
  } catch (error) {
    throw ioError(path, 'verify the checkpoint', error);
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}
