/**
 * Rewrites a checkpoint as kindling wrote it at format version 1 (CRC32 checksums instead of XXH64, same tree and
 * tensor bytes), so the suite can load the same state both ways in one run: the before/after of the checksum change.
 * The header is laid out as version 1's writer laid it out (metadata keys in the same order, tensors in data order,
 * padded with spaces to a multiple of 8).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CRC32, digestOf, headerDigest } from '../../src/checkpoint/checksum.js';

interface Entry {
  readonly dtype: string;
  readonly shape: number[];
  readonly data_offsets: [number, number];
}

export function writeVersion1Copy(source: string, target: string): void {
  const bytes = readFileSync(source);
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Record<string, unknown>;
  const metadata = header['__metadata__'] as Record<string, string>;
  const data = bytes.subarray(8 + length);
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, value]) => ({ name, ...(value as Entry) }))
    .sort((a, b) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1]);
  const tree = metadata['kindling.tree']!;
  const crcText = JSON.stringify(entries.map((e) => digestOf(data.subarray(e.data_offsets[0], e.data_offsets[1]), CRC32)));
  const digest = headerDigest(
    {
      version: '1',
      tree,
      tensorDigests: crcText,
      entries: entries.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, begin: e.data_offsets[0], end: e.data_offsets[1] })),
    },
    CRC32,
  );
  const meta: [string, string][] = [
    ['format', 'kindling'],
    ['kindling.version', '1'],
    ['kindling.tree', tree],
    ['kindling.crc32.tensors', crcText],
    ['kindling.crc32.header', digest],
  ];
  const parts = [`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`];
  for (const e of entries) parts.push(`${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype, shape: e.shape, data_offsets: e.data_offsets })}`);
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const head = Buffer.alloc(8 + padded, 0x20);
  head.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(head, 8);
  writeFileSync(target, Buffer.concat([head, data]));
}
