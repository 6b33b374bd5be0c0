/**
 * One transactional restore across many components: `prepareAll({ module, callbacks: {…}, optimizers: {…} }, tree)`
 * validates the state of every component against its section of a checkpoint tree and returns one plan whose
 * `commit` applies them all, or, when any issue was found, none.
 */
import { addIssues, constructorName, describeValue, IssueList, joinKey, StateError, type StateIssue } from './errors.js';
import { type LoadPlan, prepareAtomically, prepareLoad as prepareNested } from './load-plan.js';
import { isStateful, type LoadOptions, type LoadResult } from './stateful.js';
import { isPlainObject } from './values.js';

/**
 * What `prepareAll` restores: under each section name, either one stateful component (`module`), whose state is the
 * section itself, or a record of components (`callbacks: { EarlyStopping: es }`), whose states are the section's
 * entries by the same keys.
 */
export type RestoreTargets = Readonly<Record<string, object>>;

function className(value: object): string {
  return constructorName(value) ?? 'a component';
}

function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The sections a tree does hold, for the message about one it does not. */
function sectionsHint(tree: Record<string, unknown>): string {
  const names = Object.keys(tree).filter((k) => isPlainObject(tree[k]));
  return names.length === 0 ? 'the checkpoint holds no sections' : `the checkpoint has the sections ${names.join(', ')}`;
}

/**
 * Validates every component's state in `checkpoint` (paths are prefixed by the section: `module.fc1.weight`,
 * `callbacks.EarlyStopping.wait`) and returns one plan: its `issues` cover every component, and its `commit` applies
 * all of them (tensors filled in place at the end) or throws a `StateError` without changing anything.
 *
 * Sections of the tree that no target names (`epoch`, `hparams`, …) are not looked at. Within a section of several
 * components, a saved entry without a component is an unexpected key, a component without a saved entry a missing
 * key (strict: issues; non-strict: listed, the component keeps its state).
 *
 * A hand-written `Stateful` (its own `loadStateDict`, no two-phase loader) cannot be validated in advance: it is run
 * first at commit, before anything else is applied, so if it throws nothing else has changed; with several of them,
 * those that ran before the one that threw keep their effect.
 */
export function prepareAll(targets: RestoreTargets, checkpoint: unknown, options: LoadOptions = {}): LoadPlan {
  return prepareAtomically(() => prepareSections(targets, checkpoint, options));
}

/** `prepareAll(…)` committed at once: throws a `StateError` listing every issue, or applies everything. */
export function restoreAll(targets: RestoreTargets, checkpoint: unknown, options: LoadOptions = {}): LoadResult {
  const plan = prepareAll(targets, checkpoint, options);
  if (plan.issues.length > 0) throw new StateError(plan.issues);
  plan.commit();
  return { missingKeys: plan.missingKeys, unexpectedKeys: plan.unexpectedKeys };
}

function prepareSections(targets: RestoreTargets, checkpoint: unknown, options: LoadOptions): LoadPlan {
  const strict = options.strict ?? true;
  const issues: StateIssue[] = new IssueList();
  const missingKeys: string[] = [];
  const unexpectedKeys: string[] = [];
  const plans: LoadPlan[] = [];
  const missing = (path: string, expected: string, hint?: string) => {
    if (strict) issues.push({ path, kind: 'missing', expected: hint ? `${expected}; ${hint}` : expected, actual: 'nothing' });
    else missingKeys.push(path);
  };
  const take = (prepared: LoadPlan) => {
    addIssues(issues, prepared.issues);
    missingKeys.push(...prepared.missingKeys);
    unexpectedKeys.push(...prepared.unexpectedKeys);
    plans.push(prepared);
  };
  if (!isPlainObject(checkpoint)) {
    issues.push({ path: 'checkpoint', kind: 'type', expected: 'object (a checkpoint tree of sections)', actual: describeValue(checkpoint) });
    return { issues, missingKeys, unexpectedKeys, commit() {} };
  }
  for (const section of Object.keys(targets)) {
    const target = targets[section]!;
    const saved = ownValue(checkpoint, section);
    if (isStateful(target)) {
      if (saved === undefined) missing(section, `the state of ${className(target)}`, sectionsHint(checkpoint));
      else take(prepareNested(target, saved, section, options));
      continue;
    }
    if (!isPlainObject(target)) {
      throw new TypeError(`prepareAll: "${section}" must be a stateful component or a record of them, got ${describeValue(target)}`);
    }
    if (saved === undefined) {
      missing(section, `a section with the states of ${Object.keys(target).join(', ') || 'no components'}`, sectionsHint(checkpoint));
      continue;
    }
    if (!isPlainObject(saved)) {
      issues.push({ path: section, kind: 'type', expected: 'object (component states by key)', actual: describeValue(saved) });
      continue;
    }
    for (const key of Object.keys(target)) {
      const component = target[key];
      const at = joinKey(section, key);
      if (typeof component !== 'object' || component === null || !isStateful(component)) {
        throw new TypeError(`prepareAll: ${at} must be a stateful component, got ${describeValue(component)}`);
      }
      const state = ownValue(saved, key);
      if (state === undefined) missing(at, `the state of ${className(component)}`);
      else take(prepareNested(component, state, at, options));
    }
    for (const key of Object.keys(saved)) {
      if (Object.prototype.hasOwnProperty.call(target, key)) continue;
      const at = joinKey(section, key);
      if (strict) issues.push({ path: at, kind: 'unexpected', expected: '', actual: describeValue(saved[key]) });
      else unexpectedKeys.push(at);
    }
  }
  return {
    issues,
    missingKeys,
    unexpectedKeys,
    commit() {
      for (const p of plans) p.commit();
    },
  };
}
