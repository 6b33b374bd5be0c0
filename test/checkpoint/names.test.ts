import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, readCheckpointInfo, saveCheckpoint, serializeCheckpoint } from '../../src/checkpoint/index.js';
import { tensorName } from '../../src/checkpoint/names.js';
import { tensor, type Tensor } from '../../src/state/tensor.js';
import { join } from 'node:path';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

describe('tensor names', () => {
  it('are the dot-joined path with dots and backslashes escaped', () => {
    expect(tensorName(['model', 'layer1', 'weight'])).toBe('model.layer1.weight');
    expect(tensorName(['optimizer', 'state', 0, 'exp_avg'])).toBe('optimizer.state.0.exp_avg');
    expect(tensorName(['a.b', 'c\\d'])).toBe('a\\.b.c\\\\d');
    expect(tensorName(['__metadata__'])).toBe('\\__metadata__');
    expect(tensorName(['__metadata__', 'x'])).toBe('__metadata__.x');
  });

  it('never collide for different paths (property over tricky segments)', () => {
    const segment = fc.stringMatching(/^[.\\_a]{0,4}$/).chain((s) => fc.constantFrom(s, '__metadata__'));
    const path = fc.array(segment, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(path, path, (a, b) => {
        expect(tensorName(a) === tensorName(b)).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('keep a top-level tensor called __proto__ or __metadata__ apart from the metadata', async () => {
    const tree = {};
    Object.defineProperty(tree, '__proto__', { value: tensor('uint8', [1], [1]), enumerable: true });
    Object.defineProperty(tree, '__metadata__', { value: tensor('uint8', [1], [2]), enumerable: true });
    const loaded = deserializeCheckpoint(new Uint8Array(Buffer.concat(serializeCheckpoint(tree))));
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(Array.from((Object.getOwnPropertyDescriptor(loaded, '__proto__')!.value as Tensor).data as Uint8Array)).toEqual([1]);
    expect(Array.from((loaded['__metadata__'] as Tensor).data as Uint8Array)).toEqual([2]);
    const path = join(tempDir(), 'proto.ckpt');
    await saveCheckpoint(path, tree);
    expect((await readCheckpointInfo(path)).tensors.map((t) => t.name).sort()).toEqual(['\\__metadata__', '__proto__']);
  });
});
