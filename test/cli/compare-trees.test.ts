import { describe, expect, it } from 'vitest';
import { compareStateTrees, describeStateValue } from '../../src/cli/diff/compare-trees.js';
import type { StateTree } from '../../src/checkpoint/types.js';
import { bfloat16ToNumber, float16ToNumber } from '../../src/cli/diff/half-float.js';
import { tensor } from '../../src/state/tensor.js';

describe('compareStateTrees', () => {
  it('finds nothing between equal trees, treating NaN as equal to NaN', () => {
    const a = { x: NaN, y: [1, 'a', null, true], t: tensor('float32', [2], [1, NaN]) };
    const b = { x: NaN, y: [1, 'a', null, true], t: tensor('float32', [2], [1, NaN]) };
    expect(compareStateTrees(a, b)).toEqual([]);
  });

  it('reports added, removed and changed values by path', () => {
    const a = { trainer: { epoch: 3, mode: 'min', zero: 0 }, old: 1, list: [1, 2, 3] };
    const b = { trainer: { epoch: 4, mode: 'min', zero: -0 }, list: [1, 2], 'new key': { k: 1 } };
    expect(compareStateTrees(a, b)).toEqual([
      { kind: 'changed', path: 'trainer.epoch', before: '3', after: '4' },
      { kind: 'changed', path: 'trainer.zero', before: '0', after: '-0' },
      { kind: 'removed', path: 'old', before: '1' },
      { kind: 'removed', path: 'list[2]', before: '3' },
      { kind: 'added', path: '["new key"]', after: 'object(1 key)' },
    ]);
  });

  it('reports a change of kind once, without descending', () => {
    expect(compareStateTrees({ v: [1, 2] }, { v: { a: 1 } })).toEqual([
      { kind: 'changed', path: 'v', before: 'array(2)', after: 'object(1 key)' },
    ]);
    expect(compareStateTrees({ v: 1 }, { v: tensor('int32', [1], [1]) })).toEqual([
      { kind: 'changed', path: 'v', before: '1', after: 'Tensor<int32>[1]' },
    ]);
  });

  it('reports tensor dtype and shape changes', () => {
    const diff = compareStateTrees(
      { w: tensor('float32', [2], [1, 2]), b: tensor('float32', [2], [1, 2]) },
      { w: tensor('float64', [2], [1, 2]), b: tensor('float32', [1, 2], [1, 2]) },
    );
    expect(diff).toEqual([
      { kind: 'tensor', path: 'w', change: 'dtype', before: 'Tensor<float32>[2]', after: 'Tensor<float64>[2]' },
      { kind: 'tensor', path: 'b', change: 'shape', before: 'Tensor<float32>[2]', after: 'Tensor<float32>[1, 2]' },
    ]);
  });

  it('counts differing elements and the largest absolute difference of float tensors', () => {
    const [d] = compareStateTrees(
      { w: tensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]) },
      { w: tensor('float32', [2, 3], [1, 2.5, 3, 4, 5, 2]) },
    );
    expect(d).toMatchObject({ kind: 'tensor', change: 'contents', differingElements: 2, maxAbsDiff: 4 });
  });

  it('counts bit differences that are not numeric differences (-0 vs 0, NaN payloads)', () => {
    const nan1 = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0]!;
    const [d] = compareStateTrees({ w: tensor('float64', [2], [0, NaN]) }, { w: tensor('float64', [2], [-0, nan1]) });
    expect(d).toMatchObject({ differingElements: 2, maxAbsDiff: 0 });
    const [onlyNaN] = compareStateTrees({ w: tensor('float32', [1], [1]) }, { w: tensor('float32', [1], [NaN]) });
    expect(onlyNaN).toMatchObject({ differingElements: 1, maxAbsDiff: null });
  });

  it('compares integer tensors by count only, including 64-bit ones', () => {
    const [d] = compareStateTrees(
      { s: tensor('int64', [3], [1n, 2n, 3n]) },
      { s: tensor('int64', [3], [1n, 2n, 1n << 40n]) },
    );
    expect(d).toMatchObject({ change: 'contents', differingElements: 1 });
    expect(d).not.toHaveProperty('maxAbsDiff');
  });

  it('decodes half-precision tensors for the largest difference', () => {
    // float16 0x3c00 = 1, 0x4000 = 2; bfloat16 0x3f80 = 1, 0x4040 = 3.
    const [h] = compareStateTrees({ h: tensor('float16', [1], [0x3c00]) }, { h: tensor('float16', [1], [0x4000]) });
    expect(h).toMatchObject({ differingElements: 1, maxAbsDiff: 1 });
    const [b] = compareStateTrees({ b: tensor('bfloat16', [1], [0x3f80]) }, { b: tensor('bfloat16', [1], [0x4040]) });
    expect(b).toMatchObject({ differingElements: 1, maxAbsDiff: 2 });
  });

  it('walks past large equal blocks and still finds a late difference', () => {
    const n = 100_000;
    const a = new Float32Array(n).fill(1);
    const b = a.slice();
    b[n - 1] = 1.25;
    const [d] = compareStateTrees({ t: tensor('float32', [n], a) }, { t: tensor('float32', [n], b) });
    expect(d).toMatchObject({ differingElements: 1, maxAbsDiff: 0.25 });
  });
});

describe('describeStateValue', () => {
  it('renders leaves literally and containers by size', () => {
    expect(describeStateValue(-0)).toBe('-0');
    expect(describeStateValue(Infinity)).toBe('Infinity');
    expect(describeStateValue('x'.repeat(100))).toHaveLength(60);
    expect(describeStateValue([1, 2])).toBe('array(2)');
  });
});

describe('half-precision decoders', () => {
  it('decode known bit patterns', () => {
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0xc000)).toBe(-2);
    expect(float16ToNumber(0x0001)).toBe(2 ** -24);
    expect(float16ToNumber(0x7c00)).toBe(Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
    expect(bfloat16ToNumber(0x3f80)).toBe(1);
    expect(bfloat16ToNumber(0xbfc0)).toBe(-1.5);
  });
});

describe('compareStateTrees on deep trees', () => {
  it('diffs a tree nested deeper than the call stack', () => {
    const deep = (depth: number, leaf: number): StateTree => {
      let node: StateTree = { leaf };
      for (let i = 0; i < depth; i++) node = { n: node };
      return node;
    };
    const differences = compareStateTrees(deep(20_000, 1), deep(20_000, 2));
    expect(differences).toHaveLength(1);
    expect(differences[0]).toMatchObject({ kind: 'changed', before: '1', after: '2' });
    expect(differences[0]!.path.endsWith('.n.leaf')).toBe(true);
  });
});
