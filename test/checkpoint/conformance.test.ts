/**
 * The file format against its spec (docs/checkpoint-format.md), checked with bytes assembled by hand and with a
 * minimal reader written here from the spec alone (it shares no code with the library's parser).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, FORMAT_VERSION, saveCheckpoint, serializeCheckpoint } from '../../src/checkpoint/index.js';
import { xxh64Reference } from './xxh64-reference.js';
import { tensor, type Tensor } from '../../src/state/tensor.js';
import { treeDifference, useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** Assembles a safetensors file: u64 LE length, the JSON padded with spaces to `pad`, then the data. */
function assemble(header: object, data: Uint8Array, pad = 8): Uint8Array {
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % pad !== 0) json += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return new Uint8Array(Buffer.concat([length, Buffer.from(json), data]));
}

interface SpecTensor {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A reader written from the spec: each tensor's raw bytes, the metadata, and the names in data-offset order. */
function readBySpec(file: Uint8Array): { metadata: Record<string, string>; tensors: Map<string, SpecTensor & { bytes: Uint8Array }>; order: string[] } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, unknown>;
  const metadata = (header['__metadata__'] ?? {}) as Record<string, string>;
  const tensors = new Map<string, SpecTensor & { bytes: Uint8Array }>();
  const order: string[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = value as SpecTensor;
    tensors.set(name, { ...t, bytes: file.subarray(8 + n + t.data_offsets[0], 8 + n + t.data_offsets[1]) });
  }
  order.push(...[...tensors.keys()].sort((a, b) => tensors.get(a)!.data_offsets[0] - tensors.get(b)!.data_offsets[0]));
  return { metadata, tensors, order };
}

function rawBytes(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

describe('checkpoint format conformance', () => {
  it('loads a file assembled byte by byte from the spec', () => {
    const weight = new Float32Array([1.5, -2, Number.NaN, -0]);
    const steps = new BigInt64Array([7n, -8n]);
    const flags = new Uint8Array([1, 0, 1]);
    const data = Buffer.concat([Buffer.from(steps.buffer), Buffer.from(weight.buffer), Buffer.from(flags)]);
    const tree = {
      model: { 'layer.1': { weight: { $tensor: 'model.layer\\.1.weight' } } },
      steps: { $tensor: 'steps' },
      flags: { $tensor: 'flags' },
      best: { $number: '-Infinity' },
      $$key: 'escaped dollar',
    };
    const bytes = assemble(
      {
        __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': JSON.stringify(tree) },
        steps: { dtype: 'I64', shape: [2], data_offsets: [0, 16] },
        'model.layer\\.1.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [16, 32] },
        flags: { dtype: 'BOOL', shape: [3], data_offsets: [32, 35] },
      },
      data,
    );
    const loaded = deserializeCheckpoint(bytes) as Record<string, unknown>;
    expect(
      treeDifference(loaded, {
        model: { 'layer.1': { weight: tensor('float32', [2, 2], weight) } },
        steps: tensor('int64', [2], steps),
        flags: tensor('bool', [3], flags),
        best: Number.NEGATIVE_INFINITY,
        $key: 'escaped dollar',
      }),
    ).toBeNull();
  });

  it('loads a hand-made file whose header is not padded (tensors then are copies, not misaligned views)', () => {
    const values = new Float64Array([1, 2, 3]);
    const bytes = assemble(
      {
        __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': '{"v":{"$tensor":"v"}}' },
        v: { dtype: 'F64', shape: [3], data_offsets: [0, 24] },
      },
      new Uint8Array(values.buffer),
      1,
    );
    const loaded = deserializeCheckpoint(bytes);
    expect(treeDifference(loaded, { v: tensor('float64', [3], values) })).toBeNull();
  });

  it('writes the layout the spec fixes: length prefix, padded header, aligned contiguous ordered offsets', async () => {
    const path = join(tempDir(), 'layout.ckpt');
    const tree = {
      a: tensor('uint8', [3], [1, 2, 3]),
      b: tensor('float64', [2], [1, 2]),
      c: tensor('int16', [3], [1, 2, 3]),
      d: tensor('float32', [1], [1]),
      e: tensor('bfloat16', [0], []),
      0: tensor('int64', [1], [9]),
    };
    await saveCheckpoint(path, tree);
    const file = new Uint8Array(readFileSync(path));
    const n = Number(Buffer.from(file).readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const headerText = Buffer.from(file.subarray(8, 8 + n)).toString('utf8');
    expect(headerText.startsWith('{')).toBe(true);
    expect(headerText.trimEnd().endsWith('}')).toBe(true);
    expect(headerText.slice(headerText.trimEnd().length)).toMatch(/^ *$/);

    const { metadata, tensors, order } = readBySpec(file);
    expect(metadata['kindling.version']).toBe(String(FORMAT_VERSION));
    expect(Object.values(metadata).every((v) => typeof v === 'string')).toBe(true);
    // Header order is offset order, starting at 0, with no gaps, ending at the end of the file.
    let expected = 0;
    for (const name of order) {
      const t = tensors.get(name)!;
      expect(t.data_offsets[0]).toBe(expected);
      const width = { F64: 8, I64: 8, F32: 4, I16: 2, BF16: 2, U8: 1 }[t.dtype]!;
      expect((8 + n + t.data_offsets[0]) % width).toBe(0);
      expected = t.data_offsets[1];
    }
    expect(8 + n + expected).toBe(file.length);
    // Widest elements first, tree order within a width (the literal puts "0" first), and the header text lists
    // the tensors in that same order.
    expect(order).toEqual(['0', 'b', 'd', 'c', 'e', 'a']);
    const positions = order.map((name) => headerText.indexOf(`${JSON.stringify(name)}:{"dtype"`));
    expect(positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
  });

  it('is readable by the spec-only reader: values and checksums match what was saved', async () => {
    const path = join(tempDir(), 'spec.ckpt');
    const tree = {
      model: { 'conv.1': { weight: tensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]) } },
      steps: tensor('int64', [2], [5, 6]),
      epoch: 4,
    };
    await saveCheckpoint(path, tree);
    const { metadata, tensors, order } = readBySpec(new Uint8Array(readFileSync(path)));
    const weight = tensors.get('model.conv\\.1.weight')!;
    expect(weight).toMatchObject({ dtype: 'F32', shape: [2, 3] });
    expect(Buffer.from(weight.bytes).equals(Buffer.from(rawBytes(tree.model['conv.1'].weight)))).toBe(true);
    expect(Buffer.from(tensors.get('steps')!.bytes).equals(Buffer.from(rawBytes(tree.steps)))).toBe(true);
    const digests = JSON.parse(metadata['kindling.xxh64.tensors']!) as string[];
    expect(digests).toEqual(order.map((name) => xxh64Reference(tensors.get(name)!.bytes)));
    expect(metadata['kindling.crc32.tensors']).toBeUndefined();
    expect(JSON.parse(metadata['kindling.tree']!)).toEqual({
      model: { 'conv.1': { weight: { $tensor: 'model.conv\\.1.weight' } } },
      steps: { $tensor: 'steps' },
      epoch: 4,
    });
  });

  it('returns chunks that are the header followed by the tensors\' own memory (no concatenated copy)', () => {
    const w = tensor('float32', [4], [1, 2, 3, 4]);
    const chunks = serializeCheckpoint({ w });
    expect(chunks).toHaveLength(2);
    expect(chunks[1]!.buffer).toBe(w.data.buffer);
    expect(chunks[0]!.length % 8).toBe(0);
  });

  it('escapes the reserved name __metadata__ and dotted keys so tensor names never collide', () => {
    const chunks = serializeCheckpoint({
      __metadata__: tensor('uint8', [1], [1]),
      'a.b': tensor('uint8', [1], [2]),
      a: { b: tensor('uint8', [1], [3]) },
    });
    const { order } = readBySpec(new Uint8Array(Buffer.concat(chunks)));
    expect(order.sort()).toEqual(['\\__metadata__', 'a.b', 'a\\.b'].sort());
  });
});
