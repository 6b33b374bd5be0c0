/**
 * Hand-made checkpoint bytes for hostile-input tests: a header given as raw JSON text (so it may hold what no writer
 * produces: duplicate keys, a BOM, odd metadata), and checksummed files whose tree text is given verbatim.
 */
import { digestOf } from '../../src/checkpoint/checksum.js';
import { buildHeader } from '../../src/checkpoint/header-write.js';
import { planLayout } from '../../src/checkpoint/layout.js';
import type { NamedTensor } from '../../src/checkpoint/tree-codec.js';

/** A file from a raw header (JSON text or bytes, padded with spaces to 8 bytes) followed by `data`. */
export function fileFromHeader(header: string | Uint8Array, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : Buffer.from(header);
  const length = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = Buffer.alloc(8 + length + data.length, 0x20);
  out.writeBigUInt64LE(BigInt(length), 0);
  json.copy(out, 8);
  Buffer.from(data).copy(out, 8 + length);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** A file as kindling writes it (checksums on by default), with the tree text given verbatim. */
export function fileWithTreeText(treeText: string, tensors: readonly NamedTensor[] = [], checksums = true): Uint8Array {
  const layout = planLayout(tensors);
  const bodies = layout.tensors.map((t) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  const header = buildHeader(layout, treeText, checksums ? bodies.map((b) => digestOf(b)) : null);
  const bytes = Buffer.concat([header, ...bodies]);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The JSON header text of a file (without the length field and padding). */
export function headerText(file: Uint8Array): string {
  const length = Number(Buffer.from(file.buffer, file.byteOffset, 8).readBigUInt64LE(0));
  return Buffer.from(file.buffer, file.byteOffset + 8, length).toString('utf8').trimEnd();
}

/** The data section of a file. */
export function dataOf(file: Uint8Array): Uint8Array {
  const length = Number(Buffer.from(file.buffer, file.byteOffset, 8).readBigUInt64LE(0));
  return file.subarray(8 + length);
}

/** A tree text with `count` empty objects in one array: `count + 2` values. */
export function wideTreeText(count: number): string {
  return `{"a":[${'{},'.repeat(count - 1)}{}]}`;
}

/** A tree text whose `a` holds arrays nested `depth` levels (the root object is one more level). */
export function deepTreeText(depth: number): string {
  return `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}
