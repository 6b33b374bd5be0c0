/** ProgressBar: plain periodic lines off a terminal, a cli-progress bar on one; epoch, step, loss and progBar metrics. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/components/engine/index.js';
import { formatMetrics } from '../../../src/components/callbacks/progress/format.js';
import { ProgressBar, type ProgressStream } from '../../../src/components/callbacks/progress/progress-bar.js';
import type { Module } from '../../../src/components/nn/module.js';
import { FakeTrainer } from './support/fake-trainer.js';

const noModule = undefined as unknown as Module;

class Stream implements ProgressStream {
  text = '';
  columns = 120;
  constructor(readonly isTTY: boolean) {}
  write(text: string): boolean {
    this.text += text;
    return true;
  }
  cursorTo(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  on(): this {
    return this;
  }
  removeListener(): this {
    return this;
  }
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

function epoch(bar: ProgressBar, trainer: FakeTrainer, batches: number, loss: (i: number) => unknown): void {
  trainer.numTrainingBatches = batches;
  bar.onTrainEpochStart(trainer, noModule);
  for (let i = 0; i < batches; i++) {
    trainer.globalStep += 1;
    trainer.isLastBatch = i === batches - 1;
    const output = loss(i);
    bar.onTrainBatchEnd(trainer, noModule, output, undefined, i);
    if (output instanceof tf.Tensor) output.dispose();
  }
  bar.onTrainEpochEnd(trainer, noModule);
}

describe('ProgressBar off a terminal', () => {
  it('prints a line every tenth of the epoch and one at its end, with step, loss and progBar metrics', () => {
    const stream = new Stream(false);
    const bar = new ProgressBar({ stream });
    const trainer = new FakeTrainer();
    trainer.progressBarMetrics = { val_acc: 0.91234 };
    epoch(bar, trainer, 20, (i) => tf.scalar(1 / (i + 1)));
    expect(stream.text.split('\n').filter(Boolean)).toEqual([
      'Epoch 0: 2/20 step=2 loss=0.5 val_acc=0.912',
      'Epoch 0: 4/20 step=4 loss=0.25 val_acc=0.912',
      'Epoch 0: 6/20 step=6 loss=0.167 val_acc=0.912',
      'Epoch 0: 8/20 step=8 loss=0.125 val_acc=0.912',
      'Epoch 0: 10/20 step=10 loss=0.1 val_acc=0.912',
      'Epoch 0: 12/20 step=12 loss=0.0833 val_acc=0.912',
      'Epoch 0: 14/20 step=14 loss=0.0714 val_acc=0.912',
      'Epoch 0: 16/20 step=16 loss=0.0625 val_acc=0.912',
      'Epoch 0: 18/20 step=18 loss=0.0556 val_acc=0.912',
      'Epoch 0: 20/20 step=20 loss=0.05 val_acc=0.912',
    ]);
  });

  it('reads { loss } outputs, skips disposed tensors, and prefers a logged loss', () => {
    const stream = new Stream(false);
    const bar = new ProgressBar({ stream, lineEvery: 1 });
    const trainer = new FakeTrainer();
    const disposed = tf.scalar(9);
    disposed.dispose();
    epoch(bar, trainer, 2, (i) => (i === 0 ? { loss: tf.scalar(0.5) } : disposed));
    expect(stream.text).toBe('Epoch 0: 1/2 step=1 loss=0.5\nEpoch 0: 2/2 step=2 loss=0.5\n');
    trainer.progressBarMetrics = { loss: 0.25 };
    expect(bar.metrics(trainer)).toEqual({ step: 2, loss: 0.25 });
  });
});

describe('ProgressBar on a terminal', () => {
  it('draws a cli-progress bar with the position and metrics', () => {
    const stream = new Stream(true);
    const bar = new ProgressBar({ stream });
    const trainer = new FakeTrainer();
    trainer.progressBarMetrics = { val_loss: 0.3 };
    epoch(bar, trainer, 4, () => tf.scalar(0.125));
    bar.onFitEnd(trainer, noModule);
    expect(bar.interactive).toBe(true);
    expect(stream.text).toContain('Epoch 0 [');
    expect(stream.text).toContain('4/4 | step=4 loss=0.125 val_loss=0.3');
  });
});

describe('formatMetrics', () => {
  it("uses tqdm's 3 significant digits", () => {
    expect(formatMetrics({ a: 1234.5, b: 0.000012345, c: 2 })).toBe('a=1.23e+03 b=1.23e-05 c=2');
  });
});
