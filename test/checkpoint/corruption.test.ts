/**
 * Damaged and hostile files: every one is rejected with a CheckpointError (never another exception, a crash or a
 * hang), and a bit flip inside tensor data is caught by the checksum.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  deserializeCheckpoint,
  loadCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  serializeCheckpoint,
  verifyCheckpoint,
  type CheckpointErrorReason,
} from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

const SAMPLE = {
  model: { 'layer.1': { weight: tensor('float32', [4, 4], Array.from({ length: 16 }, (_, i) => i / 7)) }, bias: tensor('float64', [3], [1, 2, 3]) },
  steps: tensor('int64', [2], [1, 2]),
  flags: tensor('bool', [3], [1, 0, 1]),
  trainer: { epoch: 2, best: Number.NaN, name: 'run' },
};
const VALID = new Uint8Array(Buffer.concat(serializeCheckpoint(SAMPLE)));
const HEADER_END = 8 + Number(Buffer.from(VALID).readBigUInt64LE(0));

function reasonOf(load: () => unknown): CheckpointErrorReason | 'loaded' {
  try {
    load();
    return 'loaded';
  } catch (error) {
    if (error instanceof CheckpointError) return error.reason;
    throw error;
  }
}

function withLength(length: bigint, rest: Uint8Array): Uint8Array {
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(length);
  return new Uint8Array(Buffer.concat([prefix, rest]));
}

/** A hand-made v1 file whose tree refers to every tensor of `entries`. */
function handMade(entries: Record<string, unknown>, data: Uint8Array, metadata: Record<string, string> = {}): Uint8Array {
  const tree = Object.fromEntries(Object.keys(entries).map((name) => [name, { $tensor: name }]));
  const header = { __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': JSON.stringify(tree), ...metadata }, ...entries };
  const json = Buffer.from(JSON.stringify(header));
  return withLength(BigInt(json.length), new Uint8Array(Buffer.concat([json, data])));
}

describe('corrupt checkpoints', () => {
  it('loads the untouched sample (the baseline the corruptions start from)', () => {
    expect(reasonOf(() => deserializeCheckpoint(VALID))).toBe('loaded');
  });

  it('rejects every truncation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), (length) => {
        expect(reasonOf(() => deserializeCheckpoint(VALID.slice(0, length)))).not.toBe('loaded');
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every single bit flip, in the header or in tensor data (data flips by checksum)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: VALID.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bytes = VALID.slice();
        bytes[at]! ^= 1 << bit;
        const reason = reasonOf(() => deserializeCheckpoint(bytes));
        expect(reason).not.toBe('loaded');
        if (at >= HEADER_END) expect(reason).toBe('bad-checksum');
      }),
      { numRuns: 600 },
    );
  });

  it('loads a data bit flip without complaint only when asked not to verify', () => {
    const bytes = VALID.slice();
    bytes[VALID.length - 1]! ^= 1;
    expect(reasonOf(() => deserializeCheckpoint(bytes))).toBe('bad-checksum');
    expect(reasonOf(() => deserializeCheckpoint(bytes, { verify: false }))).toBe('loaded');
  });

  it('rejects garbage headers of any length and content', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 64 }), (header, data) => {
        const bytes = withLength(BigInt(header.length), new Uint8Array(Buffer.concat([header, data])));
        expect(reasonOf(() => deserializeCheckpoint(bytes))).not.toBe('loaded');
      }),
      { numRuns: 300 },
    );
  });

  it('rejects JSON headers of the wrong shape', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(json, (value) => {
        const text = Buffer.from(JSON.stringify(value) ?? 'null');
        expect(reasonOf(() => deserializeCheckpoint(withLength(BigInt(text.length), new Uint8Array(text))))).not.toBe('loaded');
      }),
      { numRuns: 200 },
    );
  });

  it('rejects huge declared header lengths without allocating them', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 100_000_001n, max: 2n ** 64n - 1n }), (length) => {
        expect(reasonOf(() => deserializeCheckpoint(withLength(length, VALID.subarray(8))))).toBe('header-too-large');
      }),
    );
    expect(reasonOf(() => deserializeCheckpoint(withLength(50_000_000n, VALID.subarray(8))))).toBe('truncated');
  });

  it('rejects arbitrary data_offsets unless they happen to tile the data exactly', () => {
    const offsetArb = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(offsetArb, offsetArb, (a, b) => {
        const bytes = handMade(
          { x: { dtype: 'F32', shape: [2], data_offsets: a }, y: { dtype: 'U8', shape: [4], data_offsets: b } },
          new Uint8Array(12),
        );
        const valid = (a[0] === 0 && a[1] === 8 && b[0] === 8 && b[1] === 12) || (b[0] === 0 && b[1] === 4 && a[0] === 4 && a[1] === 12);
        const reason = reasonOf(() => deserializeCheckpoint(bytes));
        if (valid) expect(reason).toBe('loaded');
        else expect(['bad-offsets', 'overlapping-offsets', 'truncated']).toContain(reason);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, Uint8Array, CheckpointErrorReason]>([
    ['overlapping ranges', handMade({ a: { dtype: 'U8', shape: [4], data_offsets: [0, 4] }, b: { dtype: 'U8', shape: [4], data_offsets: [2, 6] } }, new Uint8Array(6)), 'overlapping-offsets'],
    ['a hole', handMade({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] }, b: { dtype: 'U8', shape: [2], data_offsets: [4, 6] } }, new Uint8Array(6)), 'bad-offsets'],
    ['bytes after the last tensor', handMade({ a: { dtype: 'U8', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(5)), 'bad-offsets'],
    ['offsets that disagree with dtype × shape', handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), 'bad-offsets'],
    ['an unknown dtype', handMade({ a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }, new Uint8Array(2)), 'unknown-dtype'],
    ['a negative dimension', handMade({ a: { dtype: 'U8', shape: [-2], data_offsets: [0, 2] } }, new Uint8Array(2)), 'bad-shape'],
    ['a shape whose size overflows', handMade({ a: { dtype: 'F64', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, new Uint8Array(8)), 'bad-shape'],
    ['data shorter than declared', handMade({ a: { dtype: 'U8', shape: [8], data_offsets: [0, 8] } }, new Uint8Array(3)), 'truncated'],
    ['a newer format version', handMade({}, new Uint8Array(0), { 'kindling.version': '99' }), 'newer-format'],
    ['a version that is not a number', handMade({}, new Uint8Array(0), { 'kindling.version': 'one' }), 'bad-header'],
    ['metadata values that are not strings', withLength(27n, new Uint8Array(Buffer.from('{"__metadata__":{"x":1}}   '))), 'bad-header'],
    ['plain safetensors without kindling metadata', withLength(2n, new Uint8Array(Buffer.from('{}'))), 'not-kindling'],
    ['a header that is not UTF-8', withLength(3n, new Uint8Array([0x7b, 0xff, 0x7d])), 'bad-header'],
    ['a file shorter than the length field', new Uint8Array([1, 2, 3]), 'truncated'],
    ['only one of the two checksum entries', handMade({}, new Uint8Array(0), { 'kindling.crc32.tensors': '[]' }), 'bad-header'],
  ])('rejects %s with a clear reason', (_what, bytes, reason) => {
    expect(reasonOf(() => deserializeCheckpoint(bytes))).toBe(reason);
  });

  it('rejects trees that refer to missing tensors, leave tensors unreferenced or use unknown markers', () => {
    const entry = { t: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } };
    const withTree = (tree: unknown): Uint8Array => handMade(entry, new Uint8Array(1), { 'kindling.tree': JSON.stringify(tree) });
    expect(reasonOf(() => deserializeCheckpoint(withTree({ t: { $tensor: 't' }, u: { $tensor: 'u' } })))).toBe('bad-tree');
    expect(reasonOf(() => deserializeCheckpoint(withTree({ other: 1 })))).toBe('bad-tree');
    expect(reasonOf(() => deserializeCheckpoint(withTree({ t: { $tensor: 't' }, x: { $eval: 'boom' } })))).toBe('bad-tree');
    expect(reasonOf(() => deserializeCheckpoint(withTree({ t: { $tensor: 't' }, x: { $number: '1e5' } })))).toBe('bad-tree');
    expect(reasonOf(() => deserializeCheckpoint(withTree({ t: { $tensor: 't', extra: 1 } })))).toBe('bad-tree');
    expect(reasonOf(() => deserializeCheckpoint(withTree([1, 2])))).toBe('bad-tree');
  });

  it('names the file and says what happened, from the file functions too', async () => {
    const dir = tempDir();
    const path = join(dir, 'damaged.ckpt');
    await saveCheckpoint(path, SAMPLE);
    const full = readFileSync(path);

    writeFileSync(path, full.subarray(0, full.length - 3));
    await expect(loadCheckpoint(path)).rejects.toMatchObject({ reason: 'truncated', file: path, message: expect.stringContaining(path) });
    await expect(readCheckpointInfo(path)).rejects.toMatchObject({ reason: 'truncated' });

    const flipped = Buffer.from(full);
    flipped[flipped.length - 1]! ^= 0x10;
    writeFileSync(path, flipped);
    // The header is intact, so the header-only read succeeds; the full checks catch the damaged tensor.
    await expect(readCheckpointInfo(path)).resolves.toMatchObject({ hasChecksums: true });
    await expect(verifyCheckpoint(path)).rejects.toMatchObject({ reason: 'bad-checksum', message: expect.stringContaining('tensor "flags"') });
    await expect(loadCheckpoint(path)).rejects.toMatchObject({ reason: 'bad-checksum' });
    // Without verification the flip goes unnoticed by checksum, but a BOOL byte of 0x11 is never a value.
    await expect(loadCheckpoint(path, { verify: false })).rejects.toMatchObject({ reason: 'bad-value', message: expect.stringContaining('tensor "flags" is BOOL') });
    flipped[flipped.length - 1]! ^= 0x11;
    writeFileSync(path, flipped);
    await expect(loadCheckpoint(path, { verify: false })).resolves.toHaveProperty('flags');

    await expect(loadCheckpoint(join(dir, 'missing.ckpt'))).rejects.toMatchObject({ reason: 'not-found' });
  });
});
