import type { StateTree } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';

/** A small training state: two sections with tensors, one with plain values only. */
export function smallState(overrides: { epoch?: number; weight?: number[]; lr?: number } = {}): StateTree {
  return {
    model: {
      weight: tensor('float32', [2, 3], overrides.weight ?? [1, 2, 3, 4, 5, 6]),
      bias: tensor('float32', [3], [0.5, -0.5, 0]),
    },
    optimizer: {
      lr: overrides.lr ?? 0.001,
      step: tensor('int64', [], [7n]),
    },
    trainer: { epoch: overrides.epoch ?? 3, monitor: 'val_loss', best: -Infinity },
  };
}
