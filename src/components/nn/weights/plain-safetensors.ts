/**
 * Reads a plain safetensors file's bytes (as Python's `safetensors.torch.save_file` writes them): an 8-byte
 * little-endian header length, a JSON header `{ name: { dtype, shape, data_offsets }, __metadata__? }`, then the
 * tensors' bytes. kindling's checkpoint reader requires a kindling state tree in the header, which such files do not
 * have; this reader takes only the tensors, by name, and checks every length and offset against the bytes it has
 * before reading any tensor, so a hostile file gives a {@link WeightsError} naming the file, never a bad read.
 */
import { bytesPerElement, type DType, numel, type Tensor, typedArrayOver } from '../../../state/index.js';
import { WeightsError } from '../errors.js';

const DTYPES: Readonly<Record<string, DType>> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U64: 'uint64',
  U32: 'uint32',
  U16: 'uint16',
  U8: 'uint8',
  BOOL: 'bool',
};

/** The header may not be larger than this (100 MB, the same cap as kindling's checkpoint reader). */
const MAX_HEADER_BYTES = 100_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The tensors of a safetensors file by name (copies, so they do not keep `bytes` alive). */
export function readPlainSafetensors(bytes: Uint8Array, file: string): Map<string, Tensor> {
  const fail = (what: string): never => {
    throw new WeightsError(`${file}: not a readable safetensors file: ${what}`);
  };
  if (bytes.length < 8) fail(`it has ${bytes.length} bytes, fewer than the 8-byte header length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) fail(`the header length ${length} is larger than the file or the ${MAX_HEADER_BYTES}-byte cap`);
  const headerEnd = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch (error) {
    fail(`the header is not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(header)) return fail('the header is not a JSON object');
  const dataBytes = bytes.length - headerEnd;
  const out = new Map<string, Tensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (!isRecord(entry)) fail(`entry ${JSON.stringify(name)} is not an object`);
    const { dtype: code, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    const dtype = typeof code === 'string' ? DTYPES[code] : undefined;
    if (dtype === undefined) fail(`tensor ${name} has dtype ${JSON.stringify(code)}, which kindling does not read`);
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor ${name} has shape ${JSON.stringify(shape)}, not a list of non-negative integers`);
    const pair = Array.isArray(offsets) && offsets.length === 2 && offsets.every(isCount) ? (offsets as [number, number]) : undefined;
    if (pair === undefined || pair[0] > pair[1] || pair[1] > dataBytes) {
      fail(`tensor ${name} has data_offsets ${JSON.stringify(offsets)} outside the ${dataBytes} data bytes`);
    }
    const dims = shape as number[];
    const [begin, end] = pair!;
    const count = numel(dims);
    if (!Number.isSafeInteger(count) || count * bytesPerElement(dtype!) !== end - begin) {
      fail(`tensor ${name}: ${dtype}[${dims.join(',')}] needs ${count * bytesPerElement(dtype!)} bytes, its data_offsets span ${end - begin}`);
    }
    // A copy into fresh (aligned) memory: safetensors offsets need not be aligned to the element size. (Not
    // `bytes.slice`, which is a view for a Node Buffer.)
    const copy = new Uint8Array(bytes.subarray(headerEnd + begin, headerEnd + end));
    out.set(name, { dtype: dtype!, shape: dims, data: typedArrayOver(dtype!, copy.buffer, 0, count) });
  }
  return out;
}
