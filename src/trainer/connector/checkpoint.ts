/**
 * The trainer checkpoint as a type. Its sections are built from the components' generated State types, so reading a
 * key that does not exist or assigning a value of the wrong type fails `tsc`. {@link stateOf} gives one
 * component's state with that component's own State type (`stateOf(checkpoint, earlyStopping).wait` is a number).
 *
 * A checkpoint is plain data (a state tree): it can be saved with `saveCheckpoint` like any tree. A checkpoint read
 * from disk is not trusted: {@link readTrainerCheckpoint} validates it against the given components first.
 */
import type { CheckpointIO, StateTree } from '../../checkpoint/types.js';
import { LocalCheckpointIO } from '../../checkpoint/local-io.js';
import { CheckpointError } from '../../checkpoint/errors.js';
import type { Callback } from '../../components/callbacks/callback.js';
import type { DataLoaderBaseState } from '../../components/data/data-loader-base.state.generated.js';
import type { HParams } from '../../components/data/data-module.js';
import type { GeneratorState } from '../../components/rng/generator.state.generated.js';
import { StateError, type StateIssue } from '../../state/errors.js';
import { prepareLoad } from '../../state/load-plan.js';
import type { StateOf } from '../../state/stateful.js';
import { TrainerCheckpointError } from '../errors.js';
import type { LoopsState } from '../loops/loop-state.state.generated.js';
import type { GradientAccumulatorState } from '../run/gradient-accumulator.state.generated.js';
import { migrateLayout } from './layout.js';
import { moduleShapeHint } from './shape-hint.js';

/** A component's state as a checkpoint section holds it. */
type SectionState = StateTree;

/** The sections of a trainer checkpoint (docs/checkpoint-layout.md); `ModuleStateT` is the module's State type. */
export type Checkpoint<ModuleStateT extends object = StateTree> = {
  readonly layoutVersion: number;
  readonly kindlingVersion: string;
  /** Set when the checkpoint was migrated from an older layout on load. */
  readonly legacyLayoutVersion?: number;
  readonly epoch: number;
  readonly globalStep: number;
  readonly module: ModuleStateT;
  readonly loops: LoopsState;
  /** Absent in weights-only checkpoints. */
  readonly callbacks?: { readonly [stateKey: string]: SectionState };
  readonly optimizers?: { readonly [name: string]: SectionState };
  readonly lrSchedulers?: { readonly [name: string]: SectionState };
  readonly precision?: SectionState;
  /** The partial gradient sums of the accumulation window the checkpoint was saved inside (empty between windows). */
  readonly gradientAccumulator?: GradientAccumulatorState;
  readonly datamodule?: SectionState;
  readonly dataloaders?: { readonly [name: string]: DataLoaderBaseState };
  readonly hparams?: HParams;
  readonly datamoduleHparams?: HParams;
  readonly rng?: GeneratorState;
};

/** Where each component's state is in a checkpoint (a path of keys), recorded when the checkpoint is made or read. */
const locations = new WeakMap<object, Map<object, readonly string[]>>();

/** @internal Records that `component`'s state is at `path` in `checkpoint`. */
export function recordLocation(checkpoint: object, component: object, path: readonly string[]): void {
  let map = locations.get(checkpoint);
  if (map === undefined) locations.set(checkpoint, (map = new Map()));
  map.set(component, path);
}

/**
 * The state of `component` in `checkpoint`, typed by the component's generated State type. The component must be one
 * the checkpoint was dumped from (`trainer.dumpCheckpoint()`) or validated against (`readTrainerCheckpoint`).
 */
export function stateOf<T extends { stateDict(): object }>(checkpoint: Checkpoint<object>, component: T): StateOf<T> {
  const path = locations.get(checkpoint)?.get(component);
  if (path === undefined) {
    throw new TypeError(
      `stateOf: ${component.constructor.name} is not a component of this checkpoint; pass a component of the trainer that dumped it, or one given to readTrainerCheckpoint`,
    );
  }
  let node: unknown = checkpoint;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  if (node === undefined) throw new TypeError(`stateOf: the checkpoint holds no state for ${component.constructor.name} (at ${path.join('.')})`);
  return node as StateOf<T>;
}

/** The components a checkpoint read from disk is validated against. */
export interface CheckpointComponents<M extends { stateDict(): object }> {
  readonly module: M;
  readonly callbacks?: readonly Callback[];
  /** Optimizers and schedulers by their checkpoint names (`default` for a single one). */
  readonly optimizers?: Readonly<Record<string, { stateDict(): object }>>;
  readonly lrSchedulers?: Readonly<Record<string, { stateDict(): object }>>;
  readonly precision?: { stateDict(): object };
  readonly datamodule?: { stateDict(): object };
  readonly io?: CheckpointIO;
}

/**
 * Reads a trainer checkpoint and validates every section a given component owns (without loading anything into the
 * components); only then returns it as a typed {@link Checkpoint}. A problem in any section is a `StateError` listing
 * all of them with their paths.
 */
export async function readTrainerCheckpoint<M extends { stateDict(): object }>(path: string, components: CheckpointComponents<M>): Promise<Checkpoint<StateOf<M>>> {
  const io = components.io ?? new LocalCheckpointIO();
  if (!(await io.exists(path))) throw new TrainerCheckpointError(path, `${path} does not exist`);
  let tree: StateTree;
  try {
    tree = await io.load(path);
  } catch (error) {
    if (error instanceof CheckpointError) throw new TrainerCheckpointError(path, `${path} cannot be read: ${error.message}`, { cause: error });
    throw error;
  }
  const checkpoint: Record<string, unknown> = { ...tree };
  migrateLayout(checkpoint, path);
  const issues: StateIssue[] = [];
  const check = (component: object, keys: readonly string[]) => {
    let node: unknown = checkpoint;
    for (const key of keys) node = (node as Record<string, unknown> | undefined)?.[key];
    const where = keys.join('.');
    if (node === undefined) {
      issues.push({ path: where, kind: 'missing', expected: `${component.constructor.name} state`, actual: 'nothing' });
      return;
    }
    issues.push(...prepareLoad(component, node, where, { strict: true }).issues);
    recordLocation(checkpoint, component, keys);
  };
  check(components.module, ['module']);
  for (const callback of components.callbacks ?? []) check(callback, ['callbacks', callback.stateKey]);
  for (const [name, optimizer] of Object.entries(components.optimizers ?? {})) check(optimizer, ['optimizers', name]);
  for (const [name, scheduler] of Object.entries(components.lrSchedulers ?? {})) check(scheduler, ['lrSchedulers', name]);
  if (components.precision !== undefined) check(components.precision, ['precision']);
  if (components.datamodule !== undefined) check(components.datamodule, ['datamodule']);
  if (issues.length > 0) {
    const hint = moduleShapeHint(issues, path, components.module, checkpoint['hparams']);
    throw new StateError(issues, `${path} does not fit the given components.${hint === undefined ? '' : `\n${hint}`}`);
  }
  return checkpoint as Checkpoint<StateOf<M>>;
}
