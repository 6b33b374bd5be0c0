/**
 * Restoring live components from a checkpoint file with the state layer's guarantee: nothing changes unless every
 * component's state validated. The file is read into scratch memory (one buffer, the tensors views into it), the
 * tree is validated against every component with `prepareAll`, and only then are the validated tensors copied into
 * the live ones. `loadCheckpoint(file, { into })` instead reads straight into live tensors, before any validation
 * by the state layer: use it only for trees that are not live components.
 *
 * The cost is the scratch buffer: as many bytes as the file's tensors, held until the commit ends (measured in
 * docs/tensors.md, "Restoring from a file").
 */
import { prepareAll, type RestoreTargets } from '../state/restore.js';
import { StateError } from '../state/errors.js';
import type { LoadOptions as StateLoadOptions, LoadResult } from '../state/stateful.js';
import { loadCheckpoint } from './file-load.js';
import type { CheckpointIO } from './types.js';

export interface RestoreOptions extends StateLoadOptions {
  /** Verify stored checksums (default true). */
  readonly verify?: boolean;
  /** Where the file is read from (default: the local filesystem). */
  readonly io?: CheckpointIO;
}

/**
 * Reads `path` and restores `targets` (`{ module, callbacks: {…}, optimizers: {…} }`, see `prepareAll`) from it as
 * one transaction: a `StateError` listing every issue of every component, and nothing changed, or everything applied.
 */
export async function restoreCheckpoint(path: string, targets: RestoreTargets, options: RestoreOptions = {}): Promise<LoadResult> {
  const { io, verify, ...loadOptions } = options;
  const read = { verify: verify !== false };
  const tree = io ? await io.load(path, read) : await loadCheckpoint(path, read);
  const plan = prepareAll(targets, tree, loadOptions);
  if (plan.issues.length > 0) throw new StateError(plan.issues, `${path} does not fit the components it is restored into; nothing was changed.`);
  plan.commit();
  return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
}
