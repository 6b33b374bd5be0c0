import type { DType, Tensor } from '../../state/tensor.js';
import { bytesPerElement } from '../../state/tensor.js';
import { bfloat16ToNumber, float16ToNumber } from './half-float.js';

/** How the contents of two tensors of the same dtype and shape differ. */
export interface ContentDifference {
  /** Elements whose bytes differ (NaN payloads and -0 vs 0 count: checkpoints are about exact bits). */
  readonly differingElements: number;
  /**
   * Float dtypes only: the largest `|a - b|` over differing elements, `null` when every differing pair involves a
   * NaN (the difference has no size then). Absent for integer and bool dtypes.
   */
  readonly maxAbsDiff?: number | null;
}

type NumberReader = (data: Tensor['data'], index: number) => number;

const FLOAT_READERS: Partial<Record<DType, NumberReader>> = {
  float64: (data, i) => (data as Float64Array)[i]!,
  float32: (data, i) => (data as Float32Array)[i]!,
  float16: (data, i) => float16ToNumber((data as Uint16Array)[i]!),
  bfloat16: (data, i) => bfloat16ToNumber((data as Uint16Array)[i]!),
};

export function isFloatDType(dtype: DType): boolean {
  return FLOAT_READERS[dtype] !== undefined;
}

function bytesOf(t: Tensor): Buffer {
  return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** The tensor's bytes as unsigned words, `wordsPerElement` per element, so bit equality is an integer compare. */
function wordsOf(t: Tensor): { words: Uint8Array | Uint16Array | Uint32Array; wordsPerElement: number } {
  const { buffer, byteOffset, byteLength } = t.data;
  switch (bytesPerElement(t.dtype)) {
    case 1:
      return { words: new Uint8Array(buffer, byteOffset, byteLength), wordsPerElement: 1 };
    case 2:
      return { words: new Uint16Array(buffer, byteOffset, byteLength / 2), wordsPerElement: 1 };
    case 4:
      return { words: new Uint32Array(buffer, byteOffset, byteLength / 4), wordsPerElement: 1 };
    default:
      return { words: new Uint32Array(buffer, byteOffset, byteLength / 4), wordsPerElement: 2 };
  }
}

/** Equal blocks are skipped with one memcmp each; only differing blocks are walked element by element. */
const BLOCK_ELEMENTS = 16 * 1024;

/**
 * Compares the contents of two tensors that already agree on dtype and shape. Returns `undefined` when they are
 * byte-identical.
 */
export function compareTensorContents(a: Tensor, b: Tensor): ContentDifference | undefined {
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (x.equals(y)) return undefined;

  const width = bytesPerElement(a.dtype);
  const read = FLOAT_READERS[a.dtype];
  const { words: wa, wordsPerElement: per } = wordsOf(a);
  const { words: wb } = wordsOf(b);
  const count = a.data.length;
  let differing = 0;
  let maxAbs: number | null = null;
  for (let start = 0; start < count; start += BLOCK_ELEMENTS) {
    const end = Math.min(count, start + BLOCK_ELEMENTS);
    if (x.compare(y, start * width, end * width, start * width, end * width) === 0) continue;
    for (let i = start; i < end; i++) {
      const w = i * per;
      if (wa[w] === wb[w] && (per === 1 || wa[w + 1] === wb[w + 1])) continue;
      differing++;
      if (read) {
        const delta = Math.abs(read(a.data, i) - read(b.data, i));
        if (!Number.isNaN(delta) && (maxAbs === null || delta > maxAbs)) maxAbs = delta;
      }
    }
  }
  return read ? { differingElements: differing, maxAbsDiff: maxAbs } : { differingElements: differing };
}
