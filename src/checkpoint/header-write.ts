import { headerDigest, WRITTEN_CHECKSUM } from './checksum.js';
import { safetensorsDType } from './dtypes.js';
import {
  DATA_ALIGNMENT,
  FORMAT_VERSION,
  META_FORMAT,
  META_CHECKSUM,
  META_FORMAT_VALUE,
  META_TREE,
  META_VERSION,
  MAX_HEADER_BYTES,
  MAX_HEADER_NODES,
  METADATA_KEY,
} from './format.js';
import { CheckpointError } from './errors.js';
import type { Layout } from './layout.js';
import type { EncodedTree } from './tree-codec.js';

/**
 * The file's first bytes: the 8-byte little-endian header length, then the JSON header padded with spaces so the
 * data section starts at a multiple of 8. `tensorDigests` (one per entry, in data-offset order, as
 * {@link WRITTEN_CHECKSUM} computes them) is null to write no checksums. The JSON is assembled by hand so that tensors appear in data-offset order (a JS object would move
 * integer-like names such as "0" to the front).
 */
export function buildHeader(layout: Layout, treeText: string, tensorDigests: readonly string[] | null): Buffer {
  const version = String(FORMAT_VERSION);
  const metadata: [string, string][] = [
    [META_FORMAT, META_FORMAT_VALUE],
    [META_VERSION, version],
    [META_CHECKSUM, tensorDigests === null ? 'none' : WRITTEN_CHECKSUM.algorithm],
    [META_TREE, treeText],
  ];
  if (tensorDigests !== null) {
    const scheme = WRITTEN_CHECKSUM;
    const digestsText = JSON.stringify(tensorDigests);
    const entries = layout.entries.map((e) => ({ ...e, dtype: safetensorsDType(e.dtype) }));
    metadata.push([scheme.tensorsKey, digestsText]);
    metadata.push([scheme.headerKey, headerDigest({ version, tree: treeText, tensorDigests: digestsText, entries }, scheme)]);
  }
  const parts = [
    `${JSON.stringify(METADATA_KEY)}:{${metadata.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`,
  ];
  for (const e of layout.entries) {
    const info = { dtype: safetensorsDType(e.dtype), shape: e.shape, data_offsets: [e.begin, e.end] };
    parts.push(`${JSON.stringify(e.name)}:${JSON.stringify(info)}`);
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const headerLength = Math.ceil((8 + json.length) / DATA_ALIGNMENT) * DATA_ALIGNMENT - 8;
  const out = Buffer.alloc(8 + headerLength, 0x20);
  out.writeBigUInt64LE(BigInt(headerLength), 0);
  json.copy(out, 8);
  return out;
}

/**
 * Refuses, before any file is touched, a header that loading would reject as too large: saving it would replace a
 * good checkpoint with one that cannot be read back. `header` is what {@link buildHeader} returned.
 */
export function checkHeaderFits(header: Buffer, file: string): void {
  const jsonBytes = header.length - 8;
  if (jsonBytes > MAX_HEADER_BYTES) {
    throw new CheckpointError(
      file,
      'invalid-state',
      `the state's non-tensor part needs a ${jsonBytes}-byte header, above the ${MAX_HEADER_BYTES}-byte limit that ` +
        'loading enforces; store large numeric data as tensors, not as arrays of numbers or long strings',
    );
  }
}

/**
 * The JSON values a reader counts in the header of `encoded`: the header object, `__metadata__` and its strings, each
 * tensor entry (object, dtype, shape and its dimensions, offsets and their two numbers), the digest list, and the tree.
 */
export function headerNodeCount(encoded: EncodedTree, checksums: boolean): number {
  let nodes = 2 + 4 + encoded.nodes;
  for (const { tensor } of encoded.tensors) nodes += 6 + tensor.shape.length;
  if (checksums) nodes += 2 + 1 + encoded.tensors.length;
  return nodes;
}

/**
 * Refuses, before any file is touched, a state whose header a reader with the default limits would refuse for its
 * number of values (MAX_HEADER_NODES).
 */
export function checkHeaderNodes(encoded: EncodedTree, checksums: boolean, file: string): void {
  const nodes = headerNodeCount(encoded, checksums);
  if (nodes > MAX_HEADER_NODES) {
    throw new CheckpointError(
      file,
      'invalid-state',
      `the state's header would hold ${nodes} JSON values, above the ${MAX_HEADER_NODES} (MAX_HEADER_NODES) that loading ` +
        'accepts; store large numeric data as tensors, not as arrays of numbers',
    );
  }
}
