/** The helpers that keep tfjs memory flat. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeTensors, EngineError, expectNoTensorLeak, initEngine, liveTensorCount, replaceTensor } from '../../../src/components/engine/index.js';

describe('memory helpers', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('replaceTensor disposes what it replaces, and not the new tensor when it is the same one', () => {
    const record: Record<string, tf.Tensor> = { g: tf.scalar(1) };
    const old = record.g!;
    replaceTensor(record, 'g', tf.scalar(2));
    expect(old.isDisposed).toBe(true);
    replaceTensor(record, 'g', record.g!);
    expect(record.g!.isDisposed).toBe(false);
    disposeTensors(record);
    expect(record).toEqual({});
  });

  it('expectNoTensorLeak passes a tidy function and names a leaking one', () => {
    const before = liveTensorCount();
    expect(expectNoTensorLeak('tidy', () => tf.tidy(() => tf.sum(tf.ones([3])).dataSync()[0]))).toBe(3);
    let leaked: tf.Tensor | undefined;
    expect(() => expectNoTensorLeak('leaky', () => (leaked = tf.ones([2])))).toThrow(
      new EngineError('leaky: the live tfjs tensor count changed by 1 (expected 0); a tensor was not disposed'),
    );
    const kept = expectNoTensorLeak('returns one', () => tf.ones([2]), 1);
    tf.dispose([leaked!, kept]);
    expect(liveTensorCount()).toBe(before);
  });
});
