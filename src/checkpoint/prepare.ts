import { digestOf } from './checksum.js';
import { buildHeader, checkHeaderFits, checkHeaderNodes } from './header-write.js';
import { planLayout, tensorBytes, type Layout } from './layout.js';
import { encodeTree } from './tree-codec.js';
import type { SaveOptions, StateTree } from './types.js';

export interface PreparedCheckpoint {
  /** The 8-byte length, the padded JSON header. */
  readonly header: Buffer;
  readonly layout: Layout;
  /** Each tensor's bytes in file order (views of the tensors' memory; empty tensors included). */
  readonly bodies: readonly Uint8Array[];
  readonly fileBytes: number;
}

/** Everything needed to write a checkpoint: validates the tree, lays out tensors, computes checksums. */
export function prepareCheckpoint(tree: StateTree, file: string, options?: SaveOptions): PreparedCheckpoint {
  const encoded = encodeTree(tree, file);
  checkHeaderNodes(encoded, options?.checksums !== false, file);
  const layout = planLayout(encoded.tensors);
  const bodies = layout.tensors.map(tensorBytes);
  const digests = options?.checksums === false ? null : bodies.map((b) => digestOf(b));
  const header = buildHeader(layout, JSON.stringify(encoded.json), digests);
  checkHeaderFits(header, file);
  return { header, layout, bodies, fileBytes: header.length + layout.dataBytes };
}
