/**
 * docs/guide-manual-training.md's program (examples/manual-training/): 50 steps by hand lower the loss, a checkpoint
 * loaded into fresh objects initialised from another seed gives bit-for-bit equal outputs, and training goes on identically.
 */
import { describe, expect, it } from 'vitest';
import { main } from '../../../examples/manual-training/train.js';

describe('the manual-training guide', () => {
  it('trains, checkpoints and resumes bit for bit', async () => {
    const result = await main();
    expect(result.lastLoss).toBeLessThan(result.firstLoss / 2);
    expect(result.differsBeforeLoad).toBe(true); // the fresh run starts from other weights: only the load equalises
    expect(result.outputsEqual).toBe(true);
    expect(result.continuesEqual).toBe(true);
  });
});
