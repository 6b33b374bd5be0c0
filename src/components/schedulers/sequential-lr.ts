/**
 * torch's SequentialLR: runs `schedulers` one after another, switching at each of `milestones` (one fewer than the
 * schedulers), e.g. a LinearLR warmup then CosineAnnealingLR. As in torch, the schedulers must drive the same
 * optimizer and be created before it; creating it resets every group's lr to its `initialLr`, undoes the first
 * steps the schedulers took, and restarts the first one. At a milestone the next scheduler starts with
 * `step(0)` (its closed form at 0).
 *
 * Its state holds its own `lastEpoch`, `milestones` and `lastLr`, and each scheduler's whole state under
 * `schedulers` (torch's `_schedulers`). It also carries the base fields `baseLrs` and `stepCount`, which torch's
 * SequentialLR does not have and which it does not use.
 */
import { persist, stateful } from '../../state/index.js';
import { LRScheduler } from './lr-scheduler.js';
import { type ParamGroupsHolder, SchedulerError } from './param-groups.js';
import { SequentialLRState } from './sequential-lr.state.generated.js';

export interface SequentialLROptions {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];
  readonly lastEpoch?: number;
}

/** The number of milestones <= epoch (Python's bisect_right on a sorted list). */
function bisectRight(sorted: readonly number[], value: number): number {
  let i = 0;
  while (i < sorted.length && sorted[i]! <= value) i++;
  return i;
}

@stateful(SequentialLRState)
export class SequentialLR extends LRScheduler {
  @persist() milestones: number[];
  @persist() readonly schedulers: LRScheduler[];

  constructor(optimizer: ParamGroupsHolder, options: SequentialLROptions) {
    const { schedulers, milestones } = options;
    if (schedulers.length === 0) throw new SchedulerError('SequentialLR: needs at least one scheduler');
    schedulers.forEach((scheduler, i) => {
      if (scheduler.holder !== optimizer) {
        throw new SchedulerError(`SequentialLR: scheduler ${i} drives another optimizer; all schedulers must drive the one passed in`);
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new SchedulerError(`SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${milestones.length}`);
    }
    super(optimizer);
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = (options.lastEpoch ?? -1) + 1;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr!;
    for (const scheduler of this.schedulers) scheduler.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  protected getLr(): number[] {
    return this.currentLrs();
  }
}
