/**
 * What a learning-rate scheduler drives: the optimizer's parameter groups, through this minimal interface. kindling's
 * optimizers implement it; a scheduler never holds the optimizer in its state, only this reference, so its state
 * stays plain data and the optimizer's own state (which includes each group's `lr` and the keys below) is saved by
 * the optimizer.
 *
 * The keys mirror torch's `param_groups` entries, in camelCase:
 * - `lr`: the current learning rate, written by every scheduler;
 * - `initialLr`: torch's `initial_lr`, set to `lr` when the first scheduler is created (a scheduler created with
 *   `lastEpoch` other than -1 requires it, as torch does);
 * - OneCycleLR writes `maxLr`, `minLr` (and sets `initialLr`), and with `cycleMomentum` also `maxMomentum`,
 *   `baseMomentum` and `momentum` (SGD-like groups) or `betas[0]` (Adam-like groups, which have `betas`).
 */

export interface SchedulableParamGroup {
  lr: number;
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
  /** Present on groups of optimizers with momentum (SGD); OneCycleLR cycles it. */
  momentum?: number;
  /** Present on groups of Adam-like optimizers; OneCycleLR cycles `betas[0]`. */
  betas?: readonly [number, number];
}

export interface ParamGroupsHolder {
  readonly paramGroups: readonly SchedulableParamGroup[];
}

/** Raised for scheduler arguments torch rejects, and for param groups that lack what a scheduler needs. */
export class SchedulerError extends Error {
  override readonly name = 'SchedulerError';
}

/** One value per param group: a single value is repeated (torch's `_format_param`). */
export function perGroup(scheduler: string, what: string, holder: ParamGroupsHolder, value: number | readonly number[]): number[] {
  const n = holder.paramGroups.length;
  if (typeof value === 'number') return Array.from({ length: n }, () => value);
  if (value.length !== n) throw new SchedulerError(`${scheduler}: expected ${n} values for ${what} (one per param group), got ${value.length}`);
  return [...value];
}
