/**
 * The gradients summed over the batches of the current accumulation window (`accumulateGradBatches` > 1), by
 * parameter name: what torch keeps in the parameters' `.grad` between `backward()` calls. Unlike Lightning, kindling
 * saves them: they are the `gradientAccumulator` section of a checkpoint (docs/checkpoint-layout.md), so a run resumed
 * from a checkpoint saved inside a window steps with the same sum as the run that never stopped.
 *
 * Exactness: the window's sum is built in one order, `((g1 + g2) + g3) + …` with tfjs float32 adds, whether or not the
 * run was interrupted. The partial sum is saved as its float32 values (bit for bit) and the resumed run adds the
 * remaining batches' gradients to it in the same order, so it computes the same float32 values.
 *
 * The partial sums are {@link Buffer}s (tfjs variables): adding to one replaces its value without copying it, and its
 * values are read back only when a checkpoint is saved. Between windows the accumulator is empty, and with
 * `accumulateGradBatches: 1` it never holds anything (each batch's gradients go straight to the optimizer step).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Buffer } from '../../components/nn/parameter.js';
import type { GradientMap } from '../../components/optim/functional/gradient-map.js';
import { persist, stateful } from '../../state/index.js';
import { GradientAccumulatorState } from './gradient-accumulator.state.generated.js';

@stateful(GradientAccumulatorState)
export class GradientAccumulator {
  /** The batches of the current window whose gradients are in {@link partialSums} (0 between windows). */
  @persist() batches = 0;
  /**
   * The sum of those batches' gradients, by parameter name. Which parameters got a gradient is data, not
   * architecture, so a load takes the saved entries only (`resizable`).
   */
  @persist({ resizable: true }) partialSums: Record<string, Buffer> = {};

  /** Adds one batch's gradients to the partial sums; takes ownership of `grads` (they are disposed or kept). */
  accumulate(grads: GradientMap): void {
    for (const [name, g] of Object.entries(grads)) {
      const sum = this.partialSums[name];
      if (sum === undefined) {
        // A variable over the gradient's own data (tfjs shares it; nothing is copied).
        this.partialSums[name] = new Buffer(g, { nameHint: 'gradSum' });
      } else {
        const next = tf.add(sum.variable, g);
        sum.assign(next, name);
        next.dispose();
      }
      g.dispose();
    }
    this.batches += 1;
  }

  /**
   * The window's sum: the partial sums plus the last batch's `grads` (whose ownership it takes), in the partial sums'
   * order, then the parameters only the last batch has. Empties the accumulator; the caller disposes the result.
   */
  complete(grads: GradientMap): GradientMap {
    const out: GradientMap = {};
    for (const [name, sum] of Object.entries(this.partialSums)) {
      const g = grads[name];
      out[name] = g === undefined ? sum.variable.clone() : tf.add(sum.variable, g);
      g?.dispose();
    }
    for (const [name, g] of Object.entries(grads)) if (!(name in out)) out[name] = g;
    this.clear();
    return out;
  }

  /** Drops the partial sums (torch's `zero_grad` at a window's first batch). */
  clear(): void {
    for (const sum of Object.values(this.partialSums)) sum.dispose();
    this.partialSums = {};
    this.batches = 0;
  }
}
