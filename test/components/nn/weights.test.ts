/**
 * saveWeights / loadWeights: a round trip by torch name; a plain safetensors file (no kindling tree) loads; a wrong
 * shape fails naming the file, the tensor and both shapes and changes nothing; strict and non-strict loads report
 * missing and unexpected names as torch does; a trainer checkpoint gives its `module` section; a file none of whose
 * names match says so instead of suggesting `strict: false`; a malformed file is a WeightsError naming the file.
 * Both backends.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine } from '../../../src/components/engine/index.js';
import { Layer, Linear, WeightsError } from '../../../src/components/nn/index.js';
import { Generator } from '../../../src/components/rng/index.js';
import { LocalCheckpointIO } from '../../../src/checkpoint/local-io.js';
import type { CheckpointIO } from '../../../src/checkpoint/types.js';

class Mlp extends Layer {
  fc1: Linear;
  fc2: Linear;
  constructor(seed: number, hidden = 4) {
    super();
    const generator = new Generator(seed);
    this.fc1 = new Linear(3, hidden, { generator });
    this.fc2 = new Linear(hidden, 2, { generator });
  }
}

function values(layer: Layer): number[][] {
  return layer.parameters().map((p) => Array.from(p.variable.dataSync()));
}

/** A plain safetensors file, laid out as Python's save_file writes it (no __metadata__, offsets in name order). */
function plainFile(tensors: Record<string, { shape: number[]; data: Float32Array }>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const bytes = tensors[name]!.data.byteLength;
    header[name] = { dtype: 'F32', shape: tensors[name]!.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let text = JSON.stringify(header);
  text += ' '.repeat((8 - (text.length % 8)) % 8);
  const out = new Uint8Array(8 + text.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(new TextEncoder().encode(text), 8);
  let at = 8 + text.length;
  for (const name of names) {
    out.set(new Uint8Array(tensors[name]!.data.buffer), at);
    at += tensors[name]!.data.byteLength;
  }
  return out;
}

describe.each<BackendName>(['cpu', 'wasm'])('weights files on %s', (backend) => {
  let dir: string;
  beforeAll(async () => {
    await initEngine({ backend });
    dir = mkdtempSync(path.join(tmpdir(), 'kindling-weights-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips every parameter bit for bit by torch name', async () => {
    const a = new Mlp(1);
    const b = new Mlp(2);
    expect(values(a)).not.toEqual(values(b));
    const file = path.join(dir, 'a.safetensors');
    await a.saveWeights(file);
    expect(await b.loadWeights(file)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(values(b)).toEqual(values(a));
    a.dispose();
    b.dispose();
  });

  it('loads a plain safetensors file such as Python writes', async () => {
    const file = path.join(dir, 'plain.safetensors');
    const t = (shape: number[], start: number) => ({ shape, data: Float32Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => start + i / 8) });
    writeFileSync(file, plainFile({ 'fc1.weight': t([4, 3], 0), 'fc1.bias': t([4], 1), 'fc2.weight': t([2, 4], 2), 'fc2.bias': t([2], 3) }));
    const m = new Mlp(1);
    await m.loadWeights(file);
    expect(Array.from(m.fc2.bias!.variable.dataSync())).toEqual([3, 3.125]);
    expect(Array.from(m.fc1.weight.variable.dataSync()).slice(0, 3)).toEqual([0, 0.125, 0.25]);
    m.dispose();
  });

  it('reads a plain safetensors file through the CheckpointIO, and says what is missing when the IO cannot', async () => {
    const file = path.join(dir, 'plain-io.safetensors');
    const t = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((x, y) => x * y, 1)).fill(0.5) });
    writeFileSync(file, plainFile({ 'fc1.weight': t([4, 3]), 'fc1.bias': t([4]), 'fc2.weight': t([2, 4]), 'fc2.bias': t([2]) }));
    const local = new LocalCheckpointIO();
    const read: string[] = [];
    const recording: CheckpointIO = {
      save: (p, tree, o) => local.save(p, tree, o),
      load: (p, o) => local.load(p, o),
      remove: (p) => local.remove(p),
      exists: (p) => local.exists(p),
      readBytes: (p) => {
        read.push(p);
        return local.readBytes(p);
      },
    };
    const m = new Mlp(1);
    await m.loadWeights(file, { io: recording });
    expect(read).toEqual([file]);
    expect(Array.from(m.fc2.bias!.variable.dataSync())).toEqual([0.5, 0.5]);
    const { readBytes: _, ...withoutBytes } = recording;
    const before = values(m);
    await expect(m.loadWeights(file, { io: withoutBytes })).rejects.toThrow(/has no readBytes to read a plain safetensors file/);
    expect(values(m)).toEqual(before);
    m.dispose();
  });

  it('a wrong-shaped weight fails with the file, the name and both shapes, and changes nothing', async () => {
    const wide = new Mlp(1, 5);
    const file = path.join(dir, 'wide.safetensors');
    await wide.saveWeights(file);
    const m = new Mlp(2);
    const before = values(m);
    const error = await m.loadWeights(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WeightsError);
    const message = (error as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('fc1.weight: expected float32[4,3], got float32[5,3]');
    expect(message).toContain('fc2.weight: expected float32[2,4], got float32[2,5]');
    expect(message).toContain('nothing was loaded');
    expect(values(m)).toEqual(before);
    wide.dispose();
    m.dispose();
  });

  it('strict fails on missing and unexpected names; non-strict loads the rest and reports them', async () => {
    const file = path.join(dir, 'partial.safetensors');
    const weight = new Mlp(3).fc1.weight;
    writeFileSync(file, plainFile({ 'fc1.weight': { shape: [4, 3], data: weight.variable.dataSync() as Float32Array }, 'head.bias': { shape: [1], data: new Float32Array([1]) } }));
    const m = new Mlp(4);
    const before = values(m);
    await expect(m.loadWeights(file)).rejects.toThrow(/missing from the file: fc1\.bias, fc2\.weight, fc2\.bias; not in Mlp: head\.bias/);
    expect(values(m)).toEqual(before);
    expect(await m.loadWeights(file, { strict: false })).toEqual({ missingKeys: ['fc1.bias', 'fc2.weight', 'fc2.bias'], unexpectedKeys: ['head.bias'] });
    expect(Array.from(m.fc1.weight.variable.dataSync())).toEqual(Array.from(weight.variable.dataSync()));
    weight.dispose();
    m.dispose();
  });

  it('loads the module section of a trainer checkpoint, whose names carry no module. prefix', async () => {
    const a = new Mlp(1);
    const b = new Mlp(2);
    const weights = path.join(dir, 'a-weights.safetensors');
    await a.saveWeights(weights);
    const module = await new LocalCheckpointIO().load(weights);
    const file = path.join(dir, 'trainer.kcpt');
    // The sections docs/checkpoint-layout.md lists; the optimizer's tensors must not be taken for weights.
    await new LocalCheckpointIO().save(file, { layoutVersion: 3, epoch: 1, globalStep: 4, module, optimizers: { default: { state: { fc1: module['fc1']! } } } });
    expect(await b.loadWeights(file)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(values(b)).toEqual(values(a));
    a.dispose();
    b.dispose();
  });

  it('a file none of whose names match says so, rather than suggesting strict: false', async () => {
    const file = path.join(dir, 'other-model.safetensors');
    writeFileSync(file, plainFile({ 'encoder.weight': { shape: [1], data: new Float32Array([1]) } }));
    const m = new Mlp(1);
    const error = await m.loadWeights(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsError);
    expect((error as Error).message).toContain('no name in the file matches');
    expect((error as Error).message).not.toContain('strict: false');
    m.dispose();
  });

  it('a malformed file is a WeightsError naming the file', async () => {
    const m = new Mlp(1);
    const cases: [string, Uint8Array][] = [
      ['short', new Uint8Array(3)],
      ['huge-header', (() => {
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, 1n << 40n, true);
        return b;
      })()],
      ['bad-offsets', (() => {
        const b = plainFile({ 'fc1.bias': { shape: [4], data: new Float32Array(4) } });
        return b.subarray(0, b.length - 4);
      })()],
    ];
    for (const [name, bytes] of cases) {
      const file = path.join(dir, `${name}.safetensors`);
      writeFileSync(file, bytes);
      await expect(m.loadWeights(file), name).rejects.toThrow(WeightsError);
      await expect(m.loadWeights(file), name).rejects.toThrow(file);
    }
    m.dispose();
  });
});
