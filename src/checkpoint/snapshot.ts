import { cloneTensor, type Tensor } from '../state/tensor.js';
import { decodeTree, encodeTree } from './tree-codec.js';
import type { StateTree } from './types.js';

/**
 * A deep copy of a state tree that shares no memory with it: tensors are copied (one copy per distinct tensor, so
 * aliasing is kept), arrays and objects are rebuilt. Validates the tree exactly as a save would.
 */
export function snapshotTree(tree: StateTree, file: string): StateTree {
  const encoded = encodeTree(tree, file);
  const copies = new Map<string, Tensor>(encoded.tensors.map(({ name, tensor }) => [name, cloneTensor(tensor)]));
  return decodeTree(encoded.json, (name) => copies.get(name), file);
}
