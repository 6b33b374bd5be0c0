import { bytesPerElement, numel, tensorView, typedArrayOver, type Tensor } from '../state/tensor.js';
import { CheckpointError } from './errors.js';
import { quoteName } from './quote.js';
import type { DecodedHeader } from './header-read.js';
import type { TensorEntry } from './layout.js';
import { decodeTree } from './tree-codec.js';
import type { StateTree } from './types.js';

/**
 * A tensor over `length` bytes at `byteOffset` of `buffer`: a view (no copy) when the offset suits the element type,
 * a copy otherwise (typed arrays require element-aligned offsets; files from other writers may not align).
 */
export function tensorOverBytes(entry: TensorEntry, buffer: ArrayBufferLike, byteOffset: number): Tensor {
  const length = numel(entry.shape);
  if (byteOffset % bytesPerElement(entry.dtype) === 0) {
    return tensorView(entry.dtype, entry.shape, typedArrayOver(entry.dtype, buffer, byteOffset, length));
  }
  const copy = new Uint8Array(entry.end - entry.begin);
  copy.set(new Uint8Array(buffer, byteOffset, copy.length));
  return tensorView(entry.dtype, entry.shape, typedArrayOver(entry.dtype, copy.buffer, 0, length));
}

/** The state tree with its tensor references resolved; every tensor in the file must be referenced. */
export function assembleTree(header: DecodedHeader, tensors: ReadonlyMap<string, Tensor>, file: string): StateTree {
  const used = new Set<string>();
  const tree = decodeTree(
    header.tree,
    (name) => {
      const t = tensors.get(name);
      if (t !== undefined) used.add(name);
      return t;
    },
    file,
  );
  if (used.size !== tensors.size) {
    const unused = [...tensors.keys()].filter((name) => !used.has(name));
    throw new CheckpointError(
      file,
      'bad-tree',
      `the state tree does not refer to ${unused.length} tensor(s) in the file: ${unused.slice(0, 5).map((n) => quoteName(n)).join(', ')}`,
    );
  }
  return tree;
}

const PLACEHOLDER: Tensor = { dtype: 'uint8', shape: [0], data: new Uint8Array(0) };

/**
 * Checks the state tree against the tensor table without any tensor bytes: markers well formed, every reference names
 * a tensor of the file, every tensor referenced. Loads that write into existing memory (in-place loads) run it before
 * the first byte is read, and `verifyCheckpoint`/`readCheckpointInfo` run it so that a file they pass also loads.
 */
export function checkTreeStructure(header: DecodedHeader, file: string): void {
  assembleTree(header, new Map(header.entries.map((e) => [e.name, PLACEHOLDER])), file);
}
