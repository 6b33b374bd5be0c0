import { bytesPerElement, type DType, type Tensor } from '../state/tensor.js';
import type { NamedTensor } from './tree-codec.js';

/** One tensor's place in the data section (offsets relative to the start of the data section). */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface Layout {
  /** In data-offset order; `tensors[i]` is stored at `entries[i]`. */
  readonly entries: readonly TensorEntry[];
  readonly tensors: readonly Tensor[];
  readonly dataBytes: number;
}

/**
 * Places tensors back to back, widest element first (8-byte, then 4, 2, 1; tree order within a width). Every
 * tensor's size is a multiple of its element size, so each offset is a multiple of its own element size without any
 * padding: with the data section 8-byte aligned in the file, every tensor can be viewed in place.
 */
export function planLayout(named: readonly NamedTensor[]): Layout {
  const ordered = named
    .map((n, i) => ({ ...n, width: bytesPerElement(n.tensor.dtype), i }))
    .sort((a, b) => b.width - a.width || a.i - b.i);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const { name, tensor } of ordered) {
    const size = tensor.data.byteLength;
    entries.push({ name, dtype: tensor.dtype, shape: [...tensor.shape], begin: offset, end: offset + size });
    offset += size;
  }
  return { entries, tensors: ordered.map((o) => o.tensor), dataBytes: offset };
}

/** The bytes of a tensor's data, sharing its memory. */
export function tensorBytes(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}
