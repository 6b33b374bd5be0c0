/**
 * The trainer checkpoint's layout version and its migrations. The layout is the arrangement of sections in the state
 * tree (`module`, `loops`, `callbacks`, …; docs/checkpoint-layout.md); it is versioned apart from the file format
 * (src/checkpoint/migrations.ts), which a file upgrade handles before the trainer sees the tree.
 *
 * Each migration upgrades a tree of version `from` to `from + 1` in memory, in order, when a checkpoint is restored.
 */
import { TrainerCheckpointError } from '../errors.js';

/** The layout this kindling writes. */
export const LAYOUT_VERSION = 3;

export interface LayoutMigration {
  readonly from: number;
  readonly description: string;
  /** Upgrades `checkpoint` in place (the tree was just read from a file and belongs to the restore). */
  migrate(checkpoint: Record<string, unknown>): void;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Layout 1 is Lightning's own arrangement transcribed to camelCase, as the RFC describes it: the loops' progress under
 * flat dotted keys (`loops.fitLoop['epochLoop.batchProgress']`), one optimizer and one scheduler under `optimizer` /
 * `lrScheduler`, and the precision state under the plugin's class name. No kindling release wrote it; kindling reads
 * it so that a checkpoint converted key by key from Lightning's layout restores, and so that the migration path is
 * exercised from the first layout on.
 */
const toLayout2: LayoutMigration = {
  from: 1,
  description: 'nest dotted loop keys; optimizer/lrScheduler → optimizers.default/lrSchedulers.default; <PrecisionClass> → precision',
  migrate(checkpoint) {
    const loops = checkpoint['loops'];
    if (isTree(loops)) {
      for (const [name, loop] of Object.entries(loops)) if (isTree(loop)) loops[name] = nestDotted(loop);
    }
    if ('optimizer' in checkpoint) {
      checkpoint['optimizers'] = { default: checkpoint['optimizer'] };
      delete checkpoint['optimizer'];
    }
    if ('lrScheduler' in checkpoint) {
      checkpoint['lrSchedulers'] = { default: checkpoint['lrScheduler'] };
      delete checkpoint['lrScheduler'];
    }
    for (const name of ['Precision', 'Precision32', 'DynamicLossScaling']) {
      if (name in checkpoint && !('precision' in checkpoint)) {
        checkpoint['precision'] = checkpoint[name];
        delete checkpoint[name];
      }
    }
  },
};

function nestDotted(flat: Tree): Tree {
  const out: Tree = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      if (!isTree(node[part])) node[part] = {};
      node = node[part] as Tree;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

/**
 * Layout 3 adds the `gradientAccumulator` section (the partial gradient sums of the accumulation window a checkpoint
 * was saved inside). Layout 2 did not save them: a full layout-2 checkpoint gets an empty accumulator, which is what
 * resuming from it always restored (a resume inside a window warns that the window's earlier gradients are lost).
 * Weights-only checkpoints have no such section in either layout.
 */
const toLayout3: LayoutMigration = {
  from: 2,
  description: 'add an empty gradientAccumulator section to a full checkpoint',
  migrate(checkpoint) {
    if ('optimizers' in checkpoint && !('gradientAccumulator' in checkpoint)) checkpoint['gradientAccumulator'] = { batches: 0, partialSums: {} };
  },
};

/** Every migration, in order. */
export const LAYOUT_MIGRATIONS: readonly LayoutMigration[] = [toLayout2, toLayout3];

/** Upgrades a checkpoint tree to {@link LAYOUT_VERSION} in place; returns the versions it was migrated from. */
export function migrateLayout(checkpoint: Tree, file: string | undefined): number[] {
  const version = checkpoint['layoutVersion'];
  const where = file === undefined ? 'The checkpoint' : file;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new TrainerCheckpointError(file, `${where} is not a kindling trainer checkpoint: it has no valid layoutVersion (found ${JSON.stringify(version)}). A file saved with saveCheckpoint() of a state tree loads with loadCheckpoint().`);
  }
  if (version > LAYOUT_VERSION) {
    throw new TrainerCheckpointError(file, `${where} has checkpoint layout ${version}, newer than this kindling's ${LAYOUT_VERSION}: it was written by a newer kindling. Upgrade kindling to restore it.`);
  }
  const applied: number[] = [];
  for (const migration of LAYOUT_MIGRATIONS) {
    if (migration.from < version) continue;
    migration.migrate(checkpoint);
    applied.push(migration.from);
  }
  if (applied.length > 0) {
    checkpoint['legacyLayoutVersion'] ??= version;
    checkpoint['layoutVersion'] = LAYOUT_VERSION;
  }
  return applied;
}
