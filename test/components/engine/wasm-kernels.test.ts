/** The UnsortedSegmentSum kernel kindling adds to the wasm backend (tf.gather's gradient needs it). */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EngineError, initEngine } from '../../../src/components/engine/index.js';

function segmentSumOn(backend: 'cpu' | 'wasm', x: number[][], ids: number[], numSegments: number): Promise<number[][]> {
  return initEngine({ backend }).then(() => tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x), tf.tensor1d(ids, 'int32'), numSegments).arraySync() as number[][]));
}

describe('UnsortedSegmentSum on wasm', () => {
  it('gives what the cpu kernel gives, repeated and absent segments included', async () => {
    const x = [[1, 2], [3, 4], [5, 6], [7, 8], [0.5, -1]];
    const ids = [2, 0, 2, 3, 0];
    const cpu = await segmentSumOn('cpu', x, ids, 5);
    expect(cpu).toEqual([[3.5, 3], [0, 0], [6, 8], [7, 8], [0, 0]]);
    expect(await segmentSumOn('wasm', x, ids, 5)).toEqual(cpu);
  });

  it('refuses a segment id outside [0, numSegments) instead of writing out of bounds', async () => {
    await expect(segmentSumOn('wasm', [[1], [2]], [0, 3], 2)).rejects.toThrow(
      new EngineError('UnsortedSegmentSum: segment id 3 at 1 is outside [0, 2)'),
    );
  });
});
