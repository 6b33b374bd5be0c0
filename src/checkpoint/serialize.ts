import type { Tensor } from '../state/tensor.js';
import { assembleTree, tensorOverBytes } from './assemble.js';
import { StreamingVerifier } from './streaming-verifier.js';
import { IN_MEMORY } from './errors.js';
import { checkDataSize, decodeHeader, headerLimits, readHeaderLength } from './header-read.js';
import { prepareCheckpoint } from './prepare.js';
import type { CheckpointLoadOptions, SaveOptions, StateTree } from './types.js';

/**
 * The checkpoint's bytes as chunks: the header, then each non-empty tensor's bytes. The tensor chunks share the
 * tensors' memory (nothing is concatenated), so write them out before changing the tensors.
 */
export function serializeCheckpoint(tree: StateTree, options?: SaveOptions): Uint8Array[] {
  const prepared = prepareCheckpoint(tree, IN_MEMORY, options);
  return [prepared.header, ...prepared.bodies.filter((b) => b.length > 0)];
}

/**
 * Reads checkpoint bytes held in memory. Tensors are views into `bytes` wherever alignment allows (so they share
 * its memory), copies otherwise. Throws a CheckpointError for anything malformed, as `loadCheckpoint` does.
 */
export function deserializeCheckpoint(bytes: Uint8Array, options?: Omit<CheckpointLoadOptions, 'into'>): StateTree {
  const file = IN_MEMORY;
  const headerLength = readHeaderLength(bytes, bytes.length, file, headerLimits(options?.limits).maxHeaderBytes);
  const header = decodeHeader(bytes.subarray(8, 8 + headerLength), file, options?.verify !== false, options?.limits);
  const dataStart = 8 + headerLength;
  checkDataSize(header, bytes.length - dataStart, file);
  const digests = options?.verify === false ? null : header.tensorDigests;
  if (StreamingVerifier.needed(header.entries, digests)) new StreamingVerifier(file, header.entries, digests).update(bytes.subarray(dataStart));
  const tensors = new Map<string, Tensor>();
  for (const entry of header.entries) {
    tensors.set(entry.name, tensorOverBytes(entry, bytes.buffer, bytes.byteOffset + dataStart + entry.begin));
  }
  return assembleTree(header, tensors, file);
}
