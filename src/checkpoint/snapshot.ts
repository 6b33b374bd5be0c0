import { cloneTensor, type Tensor } from '../state/tensor.js';
import { checkHeaderNodes } from './header-write.js';
import { decodeTree, encodeTree } from './tree-codec.js';
import type { StateTree } from './types.js';

/**
 * A deep copy of a state tree that shares no memory with it: tensors are copied (one copy per distinct tensor, so
 * aliasing is kept), arrays and objects are rebuilt. Validates the tree exactly as a save would (its values, depth
 * and header size in values), so a background save refuses it at once.
 */
export function snapshotTree(tree: StateTree, file: string, checksums = true): StateTree {
  const encoded = encodeTree(tree, file);
  checkHeaderNodes(encoded, checksums, file);
  const copies = new Map<string, Tensor>(encoded.tensors.map(({ name, tensor }) => [name, cloneTensor(tensor)]));
  return decodeTree(encoded.json, (name) => copies.get(name), file);
}
