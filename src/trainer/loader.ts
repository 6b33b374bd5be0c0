/**
 * What the trainer's loops need of a loader. A kindling `DataLoader` is one, and it is Stateful: a checkpoint holds
 * its position (epoch, batches handed out, its sampler's stream) and a resume continues at the next batch. A loader
 * of the user's own that is not Stateful (it has no `stateDict`/`loadStateDict`, the protocol of src/state) can be
 * trained on too, but a checkpoint cannot hold its position, so a resume cannot be exact: the trainer warns once, at
 * the resume, naming it (lightning-checkpointing.md §4: Lightning saves only `_Stateful` loaders, and warns at a
 * mid-epoch resume).
 */
import { isStateful, type Stateful } from '../state/stateful.js';

export interface TrainerLoader extends AsyncIterable<unknown> {
  /** Batches in one epoch (`Infinity` when unknown). */
  readonly length: number;
  /** The epoch the loader is in. */
  readonly epoch: number;
  /** Batches handed out in that epoch. */
  readonly batchesYielded: number;
  /** Moves the loader to the start of `epoch` (what the next iteration yields). */
  setEpoch(epoch: number): void;
}

export function isTrainerLoader(value: unknown): value is TrainerLoader {
  if (typeof value !== 'object' || value === null || !(Symbol.asyncIterator in value)) return false;
  const v = value as Partial<TrainerLoader>;
  return typeof v.setEpoch === 'function' && typeof v.epoch === 'number' && typeof v.batchesYielded === 'number' && typeof v.length === 'number';
}

/** Whether a checkpoint can hold the loader's position (it has `stateDict` and `loadStateDict`). */
export function isStatefulLoader(loader: TrainerLoader): loader is TrainerLoader & Stateful {
  return isStateful(loader);
}

/** The loader's class, for messages (`DataLoader`, `MyStreamLoader`). */
export function loaderClassName(loader: TrainerLoader): string {
  const name = (loader as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'a plain object';
}

/**
 * A dataset behind the loader (through `Subset`s and `ConcatDataset`s) that has state of its own, e.g. a generator
 * for augmentations: a loader's state holds its position, not its dataset's state, so checkpoints do not hold it.
 */
export function statefulDatasetOf(loader: TrainerLoader): object | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): object | undefined => {
    if (typeof value !== 'object' || value === null || seen.has(value) || depth > 8) return undefined;
    seen.add(value);
    if (isStateful(value)) return value;
    const v = value as { dataset?: unknown; datasets?: unknown };
    const inner = Array.isArray(v.datasets) ? v.datasets : [v.dataset];
    for (const d of inner) {
      const found = visit(d, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit((loader as { dataset?: unknown }).dataset, 0);
}
