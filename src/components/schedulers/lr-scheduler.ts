/**
 * The base of kindling's epoch/step learning-rate schedulers, torch 1.13's `_LRScheduler` in camelCase.
 *
 * A scheduler's `step()` advances `lastEpoch` and writes each param group's `lr` with the chainable form
 * (`getLr`, computed from the groups' current lr), as torch does; `step(epoch)` (deprecated in torch, used by
 * SequentialLR at its milestones) sets `lastEpoch` and uses the closed form where the scheduler has one. Creating a
 * scheduler performs its first step, as torch's constructor does.
 *
 * State (generated): `lastEpoch`, `baseLrs`, `lastLr` (torch `_last_lr`), `stepCount` (torch `_step_count`), plus
 * each scheduler's own arguments, which torch's `state_dict()` also carries. The param groups are not state here.
 */
import { persist, stateful } from '../../state/index.js';
import { type ParamGroupsHolder, SchedulerError } from './param-groups.js';
import { LRSchedulerState } from './lr-scheduler.state.generated.js';

@stateful(LRSchedulerState)
export abstract class LRScheduler {
  /** The index of the last step taken: 0 after construction (torch's `last_epoch`). */
  @persist() lastEpoch: number;
  /** Each group's `initialLr` when the scheduler was created (torch's `base_lrs`). */
  @persist() baseLrs: number[];
  /** Each group's lr after the last step (torch's `_last_lr`; read it with {@link getLastLr}). */
  @persist() protected lastLr: number[] = [];
  /** How many times `step` ran (torch's `_step_count`; CosineAnnealingLR's first-step branch reads it). */
  @persist() protected stepCount = 0;
  protected readonly optimizer: ParamGroupsHolder;

  /**
   * `lastEpoch` -1 (the default) starts a schedule; another value resumes one, which needs every group's
   * `initialLr`. Subclasses call {@link initialStep} at the end of their constructors.
   */
  constructor(optimizer: ParamGroupsHolder, lastEpoch = -1) {
    this.optimizer = optimizer;
    const name = new.target.name;
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new SchedulerError(`${name}: param group ${i} has no initialLr; a scheduler created with lastEpoch ${lastEpoch} resumes a schedule and needs it`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /**
   * torch's `_initial_step`: resets the step count and takes the first step. Subclass constructors call it last;
   * SequentialLR calls it on its first scheduler.
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The param groups this scheduler drives. */
  get holder(): ParamGroupsHolder {
    return this.optimizer;
  }

  /** The learning rate of each param group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Advances the schedule by one (or, deprecated as in torch, jumps to `epoch` using the closed form). */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  /** The chainable form: each group's next lr from its current one (torch's `get_lr`). */
  protected abstract getLr(): number[];

  /** The closed form of the schedule at `lastEpoch`, for schedulers that have one (torch's `_get_closed_form_lr`). */
  protected closedFormLr(): number[] | undefined {
    return undefined;
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr);
  }
}
