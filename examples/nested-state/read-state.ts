import type { HardExampleMinerState } from './hard-example-miner.state.generated.js';

/**
 * Reads a miner's checkpointed state through its generated type, `HardExampleMinerState`: every field, nested ones
 * included, has the type of the class field it came from (a tensor is a `Tensor<'float32'>`, the nested tracker a
 * `LossTrackerState`), so code that reads a field as the wrong type does not compile. With line 18 below written as
 *
 *     const updates: string = state.tracker.updates;
 *
 * `npx tsc` says:
 *
 *     examples/nested-state/read-state.ts(18,9): error TS2322: Type 'number' is not assignable to type 'string'.
 *
 * (test/e2e/nested-state.test.ts compiles the line above and checks that this is still tsc's message.)
 */
export function describeMinerState(state: HardExampleMinerState): string {
  const { epoch, hardFraction, tracker } = state;
  const updates: number = state.tracker.updates;
  const hardest = state.notes?.at(-1)?.hardest ?? []; // `notes` is optional (release 1 had none)
  const mean = tracker.meanLoss.data;
  const meanLoss = mean.reduce((s, v) => s + v, 0) / mean.length;
  return `epoch ${epoch}, ${updates} batches recorded, hardFraction ${hardFraction}, mean loss ${meanLoss.toFixed(4)}, hardest samples ${hardest.join(', ') || '(none noted)'}`;
}
