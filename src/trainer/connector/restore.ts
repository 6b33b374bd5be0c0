/**
 * Restores a trainer checkpoint transactionally, in Lightning's two phases (lightning-checkpointing.md §2):
 *
 * 1. validate: the module's global `onLoadCheckpoint` runs first (it may edit the checkpoint, e.g. rename keys), then
 *    every section is validated against its component with the two-phase `prepareLoad` plans of src/state — the
 *    module, the datamodule, the loaders, each callback, and for `fit` the precision plugin, the gradient
 *    accumulator, the fit loop, the optimizers and the schedulers, and the RNG. Every problem of every section is collected; if there is one,
 *    nothing is changed and a `StateError` lists them all with their paths.
 * 2. commit, in Lightning's order: the module's weights, the datamodule, the loaders, every callback's global
 *    `onLoadCheckpoint` (with the whole checkpoint), each callback's state; then the precision plugin (its
 *    `onLoadCheckpoint`, then its state), the gradient accumulator, the loops, the optimizers, the schedulers, the RNG. Commits of validated
 *    plans cannot fail.
 *
 * A callback's state is the one validated in phase 1: changes a callback's global hook makes to the `callbacks`
 * section are not loaded (edit the checkpoint from the module's `onLoadCheckpoint`, which runs before validation).
 *
 * It builds its plans with `prepareLoad` rather than the state layer's `prepareAll`: the trainer's strictness rules,
 * legacy keys, message paths and hook order do not fit `prepareAll`'s contract (docs/design/trainer-restore.md).
 */
import type { Callback } from '../../components/callbacks/callback.js';
import { DynamicLossScaling } from '../../components/precision/dynamic-loss-scaling.js';
import { defaultGenerator } from '../../components/rng/default.js';
import { generatedStateOf } from '../../state/decorators.js';
import { StateError, type StateIssue } from '../../state/errors.js';
import { type LoadPlan, prepareLoad } from '../../state/load-plan.js';
import { runLoad } from '../../state/load-plan.js';
import { nearestStatefulClass } from '../../state/metadata.js';
import { isTensor } from '../../state/tensor.js';
import { TrainerCheckpointError } from '../errors.js';
import { isStatefulLoader, loaderClassName, statefulDatasetOf, type TrainerLoader } from '../loader.js';
import type { CheckpointParts, RestoreSections } from './sections.js';
import { moduleShapeHint } from './shape-hint.js';

type Tree = Record<string, unknown>;

export interface RestoreRequest {
  readonly fn: 'fit' | 'validate' | 'test' | 'predict';
  readonly file: string | undefined;
  readonly sections: RestoreSections;
  readonly strict: boolean;
  readonly maxEpochs: number | undefined;
}

/** A warning of the connector (unmatched or missing states); `strict` turns the unmatched ones into errors. */
export const RESTORE_WARNING = 'KINDLING_RESTORE';
export const LEGACY_KEY_WARNING = 'KINDLING_DEP_LEGACY_KEY';
export const LEGACY_PRECISION_WARNING = 'KINDLING_DEP_NATIVE_AMP_STATE';
/** A resume that cannot be exact: a training loader that is not Stateful (named in the message). */
export const INEXACT_RESUME_WARNING = 'KINDLING_RESUME_INEXACT';

const warnedOnce = new Set<string>();
function deprecateOnce(code: string, message: string): void {
  if (warnedOnce.has(message)) return;
  warnedOnce.add(message);
  process.emitWarning(message, { type: 'DeprecationWarning', code });
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Step {
  readonly plan: LoadPlan;
  readonly before?: () => void;
}

function legacyKeysOf(callback: Callback): readonly string[] {
  const ctor = nearestStatefulClass(callback.constructor as never);
  const generated = ctor === undefined ? undefined : generatedStateOf(ctor);
  const keys = generated?.legacyKeys ?? [];
  // The class name and its snake_case form (generated legacyKeys carry the decorated class's; a subclass without its
  // own @stateful still answers to its own name).
  const name = callback.constructor.name;
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return [...new Set([name, snake, ...keys])];
}

export function restoreCheckpoint(parts: CheckpointParts, checkpoint: Tree, request: RestoreRequest): void {
  const { fn, file, sections, strict } = request;
  const on = (name: keyof RestoreSections) => sections[name] !== false;
  const where = file ?? 'the checkpoint';
  const fitting = fn === 'fit';

  if (fitting && !('optimizers' in checkpoint) && on('optimizers')) {
    throw new TrainerCheckpointError(
      file,
      `${where} holds only the weights (it was saved with weightsOnly, e.g. ModelCheckpoint({ saveWeightsOnly: true })), so fit cannot resume from it: ` +
        'it has no optimizer, scheduler, callback or precision state. Resume without them with ' +
        'restore: { optimizers: false, lrSchedulers: false, callbacks: false, precision: false }, or start a new fit after module.loadWeights(path).',
    );
  }

  if (on('module')) parts.module.onLoadCheckpoint(checkpoint);

  const issues: StateIssue[] = [];
  const warnings: string[] = [];
  const unmatched = (what: string) => {
    if (strict) issues.push({ path: what, kind: 'unexpected', expected: '', actual: 'a state no component of this trainer takes (strict: true)' });
    else warnings.push(`${what}: no component of this trainer takes this state; it is ignored (strict: true makes this an error)`);
  };
  const missing = (what: string, component: string) => warnings.push(`${what}: ${where} holds no state for ${component}; it keeps its current state`);
  const inexact: string[] = [];
  const phase1: Step[] = [];
  const phase2: Step[] = [];
  const plan = (target: object, state: unknown, path: string, options: { strict?: boolean } = {}): LoadPlan => {
    const p = prepareLoad(target, state, path, { strict: options.strict ?? true });
    issues.push(...p.issues);
    return p;
  };
  const section = (name: string): Tree | undefined => {
    const value = checkpoint[name];
    if (value === undefined) return undefined;
    if (!isTree(value)) {
      issues.push({ path: name, kind: 'type', expected: 'an object of states', actual: Array.isArray(value) ? 'an array' : typeof value });
      return undefined;
    }
    return value;
  };

  // ---- phase 1: module, datamodule, loaders, callbacks ----
  if (on('module')) {
    if (!('module' in checkpoint)) issues.push({ path: 'module', kind: 'missing', expected: `${parts.module.constructor.name} state`, actual: 'nothing' });
    else phase1.push({ plan: plan(parts.module, checkpoint['module'], 'module') });
  }
  if (on('datamodule') && parts.datamodule !== undefined) {
    const state = checkpoint['datamodule'];
    if (state === undefined) missing('datamodule', parts.datamodule.constructor.name);
    else if (fitting) phase1.push({ plan: plan(parts.datamodule, state, 'datamodule') });
    // Evaluation restores the datamodule's own fields only; its evaluation loaders start at their beginning.
    else if (isTree(state)) phase1.push({ plan: plan(parts.datamodule, { ...state, dataloaders: {} }, 'datamodule', { strict: false }) });
    else phase1.push({ plan: plan(parts.datamodule, state, 'datamodule') });
  } else if (parts.datamodule === undefined && 'datamodule' in checkpoint && on('datamodule')) unmatched('datamodule');
  if (on('dataloaders') && fitting) {
    const saved = section('dataloaders') ?? {};
    for (const [name, loader] of Object.entries(parts.loaders)) {
      if (!isStatefulLoader(loader)) {
        // Evaluation loaders start at their beginning in every run, so only a training loader's position matters.
        if (name === 'train' || name.startsWith('train.')) inexact.push(notStatefulMessage(name, loader, where));
        continue;
      }
      if (name in saved) phase1.push({ plan: plan(loader, saved[name], `dataloaders.${name}`) });
      else if (name === 'train') missing(`dataloaders.${name}`, `the ${name} loader`);
    }
    for (const name of Object.keys(saved)) if (!(name in parts.loaders)) unmatched(`dataloaders.${name}`);
  }
  if (fitting) {
    // A dataset's own state (an augmentation generator) travels in no loader state: the samples may differ.
    const training = { ...(parts.datamodule?.dataloaders ?? {}), ...parts.loaders };
    for (const [name, loader] of Object.entries(training)) {
      if (name !== 'train' && !name.startsWith('train.')) continue;
      const dataset = statefulDatasetOf(loader);
      if (dataset !== undefined) inexact.push(statefulDatasetMessage(name, dataset, where));
    }
  }
  const callbackSteps: Step[] = [];
  if (on('callbacks')) {
    const saved = section('callbacks') ?? {};
    const used = new Set<string>();
    for (const callback of parts.callbacks) {
      const key = callback.stateKey;
      let found: string | undefined = key in saved ? key : undefined;
      if (found === undefined) {
        found = legacyKeysOf(callback).find((k) => k in saved && !used.has(k));
        if (found !== undefined) {
          deprecateOnce(LEGACY_KEY_WARNING, `${where}: the state of ${key} is stored under the old key callbacks.${found}; it loads, but save a new checkpoint to store it under its stateKey.`);
        }
      }
      if (found === undefined) {
        if (nonEmptyState(callback)) missing(`callbacks.${key}`, key);
        continue;
      }
      used.add(found);
      callbackSteps.push({ plan: plan(callback, structuredCloneState(saved[found]), `callbacks.${found}`) });
    }
    for (const key of Object.keys(saved)) if (!used.has(key)) unmatched(`callbacks.${key}`);
  }

  // ---- phase 2 (fit only): precision, loops, optimizers, schedulers ----
  if (fitting && on('precision')) {
    let state = checkpoint['precision'];
    if (state === undefined && 'nativeAmpScalingState' in checkpoint && parts.precision instanceof DynamicLossScaling) {
      state = checkpoint['nativeAmpScalingState'];
      deprecateOnce(LEGACY_PRECISION_WARNING, `${where}: the loss-scaling state is stored under nativeAmpScalingState (an older layout); it loads into DynamicLossScaling, but save a new checkpoint to store it under precision.`);
    }
    if (state === undefined) missing('precision', parts.precision.constructor.name);
    else phase2.push({ before: () => parts.precision.onLoadCheckpoint(checkpoint), plan: plan(parts.precision, state, 'precision') });
  }
  // Absent from weights-only and layout-2 checkpoints; a resume inside a window then warns (run/fit.ts).
  if (fitting && on('gradientAccumulator') && checkpoint['gradientAccumulator'] !== undefined) {
    // Clearing first disposes the live sums the saved entries do not replace (the load takes the saved entries only).
    phase2.push({ before: () => parts.accumulator.clear(), plan: plan(parts.accumulator, checkpoint['gradientAccumulator'], 'gradientAccumulator') });
  }
  if (on('loops')) {
    const loops = section('loops');
    const key = `${fn}Loop` as const;
    const state = loops?.[key];
    if (state === undefined) missing(`loops.${key}`, `the ${fn} loop`);
    else {
      const target = fn === 'fit' ? parts.loops.fitLoop : fn === 'validate' ? parts.loops.validateLoop : fn === 'test' ? parts.loops.testLoop : parts.loops.predictLoop;
      const p = plan(target, state, `loops.${key}`);
      phase2.push({ plan: p });
      if (fitting && p.issues.length === 0 && request.maxEpochs !== undefined) {
        const completed = (state as { epochProgress?: { current?: { completed?: unknown } } }).epochProgress?.current?.completed;
        if (typeof completed === 'number' && completed >= request.maxEpochs) {
          throw new TrainerCheckpointError(file, `${where} was saved after ${completed} epochs, and this trainer's maxEpochs is ${request.maxEpochs}: there is nothing left to train. Raise maxEpochs to continue training.`);
        }
      }
    }
  }
  if (fitting && on('optimizers')) {
    const saved = section('optimizers') ?? {};
    for (const [name, config] of Object.entries(parts.optimizers)) {
      if (name in saved) phase2.push({ plan: plan(config.optimizer, saved[name], `optimizers.${name}`) });
      else missing(`optimizers.${name}`, `the optimizer '${name}'`);
    }
    for (const name of Object.keys(saved)) if (!(name in parts.optimizers)) unmatched(`optimizers.${name}`);
  }
  if (fitting && on('lrSchedulers')) {
    const saved = section('lrSchedulers') ?? {};
    const names = new Set(parts.schedulers.map((s) => s.name));
    for (const s of parts.schedulers) {
      if (s.name in saved) phase2.push({ plan: plan(s.scheduler, saved[s.name], `lrSchedulers.${s.name}`) });
      else missing(`lrSchedulers.${s.name}`, `the scheduler '${s.name}'`);
    }
    for (const name of Object.keys(saved)) if (!names.has(name)) unmatched(`lrSchedulers.${name}`);
  }
  if (fitting && on('rng') && checkpoint['rng'] !== undefined) phase2.push({ plan: plan(defaultGenerator(), checkpoint['rng'], 'rng') });

  if (issues.length > 0) {
    const hint = moduleShapeHint(issues, where, parts.module, checkpoint['hparams']);
    throw new StateError(issues, `Nothing was restored from ${where}: every component keeps its state.${hint === undefined ? '' : `\n${hint}`}`);
  }
  for (const message of warnings) process.emitWarning(message, { code: RESTORE_WARNING });
  // Once per resume and per loader: this restore is the only place that says it.
  for (const message of inexact) process.emitWarning(message, { code: INEXACT_RESUME_WARNING });

  for (const step of phase1) runLoad(step.plan);
  for (const callback of parts.callbacks) callback.onLoadCheckpoint(parts.view, parts.module, checkpoint);
  for (const step of callbackSteps) runLoad(step.plan);
  for (const step of phase2) {
    step.before?.();
    runLoad(step.plan);
  }
}

function notStatefulMessage(name: string, loader: TrainerLoader, where: string): string {
  return (
    `dataloaders.${name}: the ${name} loader (${loaderClassName(loader)}) is not Stateful (it has no stateDict()/loadStateDict()), so ${where} holds no position for it ` +
    'and this resume is not exact: the rest of an interrupted epoch is taken from where the loader stands now, not from the batch an uninterrupted run would take next. ' +
    'Give the loader stateDict()/loadStateDict() of its position, or use a kindling DataLoader.'
  );
}

function statefulDatasetMessage(name: string, dataset: object, where: string): string {
  return (
    `dataloaders.${name}: the dataset of the ${name} loader (${dataset.constructor.name}) has state of its own (stateDict()/loadStateDict()), which the loader's state does not hold, ` +
    `so ${where} does not restore it and this resume may not be exact. Draw its randomness from kindling's default generator (checkpoints hold it), ` +
    'or save and restore it in a callback (onSaveCheckpoint/onLoadCheckpoint).'
  );
}

function nonEmptyState(callback: Callback): boolean {
  return Object.keys(callback.stateDict()).length > 0;
}

/** Each callback loads a copy of its own state (Lightning deep-copies it), so its load cannot alias the checkpoint. */
function structuredCloneState(state: unknown): unknown {
  if (isTensor(state)) return state;
  if (Array.isArray(state)) return state.map(structuredCloneState);
  if (isTree(state) && Object.getPrototypeOf(state) === Object.prototype) {
    return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, structuredCloneState(v)]));
  }
  return state;
}
