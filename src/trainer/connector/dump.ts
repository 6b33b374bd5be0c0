/**
 * Dumps a trainer checkpoint in Lightning's order (lightning-checkpointing.md §2) with kindling's layout
 * (docs/checkpoint-layout.md): the stamp, `epoch`, `globalStep`, the module and the loops; unless `weightsOnly`, the
 * callbacks by `stateKey` (empty states left out), the optimizers and schedulers by name, the precision state and the
 * partial gradient sums of the accumulation window;
 * then the datamodule, the Stateful loaders given directly, `hparams` and the RNG; then every callback's global
 * `onSaveCheckpoint` (unless `weightsOnly`), then the module's. Tensors are shared with the live components (a save
 * snapshots or writes them before training changes them).
 */
import { packageVersion } from '../../checkpoint/package-version.js';
import type { Callback } from '../../components/callbacks/callback.js';
import { defaultGenerator } from '../../components/rng/default.js';
import { nearestStatefulClass } from '../../state/metadata.js';
import { generatedStateOf } from '../../state/decorators.js';
import type { GeneratedStateWithShims } from '../../state/shims.js';
import { type Checkpoint, recordLocation } from './checkpoint.js';
import { LAYOUT_VERSION } from './layout.js';
import type { Stateful } from '../../state/stateful.js';
import { isStatefulLoader, type TrainerLoader } from '../loader.js';
import type { CheckpointParts } from './sections.js';


function nonEmpty(state: object): boolean {
  return Object.keys(state).length > 0;
}

/** The generated state (with its shims) of a callback's class, for the pre-stateDict hook API. */
function shimsOf(callback: Callback): GeneratedStateWithShims<object, object> | undefined {
  const ctor = nearestStatefulClass(callback.constructor as never);
  const generated = ctor === undefined ? undefined : generatedStateOf(ctor);
  return generated !== undefined && 'shims' in generated ? (generated as GeneratedStateWithShims<object, object>) : undefined;
}

export function dumpCheckpoint(parts: CheckpointParts, options: { weightsOnly?: boolean } = {}): Checkpoint {
  const weightsOnly = options.weightsOnly ?? false;
  const { view, module } = parts;
  const checkpoint: Record<string, unknown> = {
    layoutVersion: LAYOUT_VERSION,
    kindlingVersion: packageVersion(),
    epoch: view.currentEpoch,
    globalStep: view.globalStep,
    module: module.stateDict(),
    loops: parts.loops.stateDict(),
  };
  if (!weightsOnly) {
    const callbacks: Record<string, unknown> = {};
    for (const callback of parts.callbacks) {
      const state = callback.stateDict();
      if (nonEmpty(state)) callbacks[callback.stateKey] = state;
    }
    checkpoint['callbacks'] = callbacks;
    checkpoint['optimizers'] = Object.fromEntries(Object.entries(parts.optimizers).map(([name, c]) => [name, c.optimizer.stateDict()]));
    checkpoint['lrSchedulers'] = Object.fromEntries(parts.schedulers.map((s) => [s.name, s.scheduler.stateDict()]));
    checkpoint['precision'] = parts.precision.stateDict();
    checkpoint['gradientAccumulator'] = parts.accumulator.stateDict();
  }
  if (parts.datamodule !== undefined) checkpoint['datamodule'] = parts.datamodule.stateDict();
  // A loader that is not Stateful has no position to save (a resume warns about it).
  const loaders = statefulLoaders(parts);
  if (loaders.length > 0) checkpoint['dataloaders'] = Object.fromEntries(loaders.map(([name, loader]) => [name, loader.stateDict()]));
  if (nonEmpty(module.hparams)) checkpoint['hparams'] = module.hparams;
  if (parts.datamodule !== undefined && nonEmpty(parts.datamodule.hparams)) checkpoint['datamoduleHparams'] = parts.datamodule.hparams;
  checkpoint['rng'] = defaultGenerator().stateDict();
  if (!weightsOnly) {
    parts.precision.onSaveCheckpoint(checkpoint);
    for (const callback of parts.callbacks) {
      const returned: unknown = callback.onSaveCheckpoint(view, module, checkpoint);
      if (returned !== undefined) {
        // The pre-stateDict API: the hook returned the callback's state. It is validated and stored as that state.
        const shims = shimsOf(callback)?.shims;
        const state = shims === undefined ? returned : shims.fromLegacyHookReturn(callback, returned);
        (checkpoint['callbacks'] as Record<string, unknown>)[callback.stateKey] = state;
      }
    }
  }
  module.onSaveCheckpoint(checkpoint);
  recordLocations(parts, checkpoint);
  return checkpoint as Checkpoint;
}

/** Remembers where each component's state is, for {@link stateOf}. */
function recordLocations(parts: CheckpointParts, checkpoint: Record<string, unknown>): void {
  const has = (section: string, key: string) => Object.prototype.hasOwnProperty.call(checkpoint[section] ?? {}, key);
  recordLocation(checkpoint, parts.module, ['module']);
  recordLocation(checkpoint, parts.loops, ['loops']);
  for (const callback of parts.callbacks) if (has('callbacks', callback.stateKey)) recordLocation(checkpoint, callback, ['callbacks', callback.stateKey]);
  for (const [name, config] of Object.entries(parts.optimizers)) if (has('optimizers', name)) recordLocation(checkpoint, config.optimizer, ['optimizers', name]);
  for (const s of parts.schedulers) if (has('lrSchedulers', s.name)) recordLocation(checkpoint, s.scheduler, ['lrSchedulers', s.name]);
  if ('precision' in checkpoint) recordLocation(checkpoint, parts.precision, ['precision']);
  if ('gradientAccumulator' in checkpoint) recordLocation(checkpoint, parts.accumulator, ['gradientAccumulator']);
  if (parts.datamodule !== undefined) recordLocation(checkpoint, parts.datamodule, ['datamodule']);
  for (const [name, loader] of statefulLoaders(parts)) recordLocation(checkpoint, loader, ['dataloaders', name]);
}

function statefulLoaders(parts: CheckpointParts): [string, TrainerLoader & Stateful][] {
  return Object.entries(parts.loaders).filter((entry): entry is [string, TrainerLoader & Stateful] => isStatefulLoader(entry[1]));
}
