import { describeValue, joinKey, StateError, type StateIssue } from './errors.js';
import { type LoadPlan, loadAtomically, plan } from './load-plan.js';
import { readOnce } from './read-state.js';
import { guardSave, savePath } from './save-guard.js';
import { type Constructor, type PersistedField, persistedFields } from './metadata.js';
import { classValueToState, planClassValue } from './reflective/class-values.js';
import { encodeValue } from './reflective/encode.js';
import { className, describeExpected, kindOf, kindOfDesignType, UNSUPPORTED_HINT, type ValueKind } from './reflective/kinds.js';
import { type Build, LoadContext } from './reflective/load-context.js';
import { planKind, planValue } from './reflective/plan-value.js';
import type { LoadOptions, LoadResult } from './stateful.js';
import type { AnyValueKind } from './value-kinds.js';
import { isPlainObject, setOwn } from './values.js';

/*
 * The reflective engine: `@stateful()` without generated code. It reads the `@persist` metadata at run time and, not
 * seeing static types, validates loaded values against the kind of each field's current value. What exactly it checks
 * is written down in docs/design/state-contract.md ("Reflective"); keep the two in step.
 */

type Fields = Record<string, unknown>;

/** The state of a decorated object, read through its `@persist` metadata. */
export function stateDictOf(obj: object): Record<string, unknown> {
  return guardSave(obj, className(obj), () => encodeFields(obj, savePath(className(obj))));
}

function encodeFields(obj: object, root: string): Record<string, unknown> {
  const issues: StateIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const field of fieldsOf(obj)) {
    const value = (obj as Fields)[field.property];
    // An undefined field (an optional `?` field not set) is an absent key.
    if (value === undefined) continue;
    const at = joinKey(root, field.key);
    const saved = field.codec
      ? saveKind(field.codec, value, at, issues)
      : field.type
        ? classValueToState(value, at, issues)
        : encodeValue(value, at, issues);
    setOwn(out, field.key, saved);
  }
  if (issues.length > 0) throw new StateError(issues, UNSUPPORTED_HINT);
  return out;
}

/**
 * Two-phase reflective load (see load-plan.ts): validates all of `state` against `obj`'s persisted fields, nested
 * stateful values included, and returns a plan that assigns on commit. `path` names `obj` in messages.
 */
export function prepareReflectiveLoad(obj: object, state: unknown, path: string, options: LoadOptions): LoadPlan {
  // Validation and commit work on a once-read copy of the input (see read-state.ts).
  return readOnce(state, path, (inert) => prepareFields(obj, inert, path, options));
}

function prepareFields(obj: object, state: unknown, path: string, options: LoadOptions): LoadPlan {
  const ctx = new LoadContext(options);
  if (!isPlainObject(state)) {
    ctx.typeIssue(path, `object (the state of ${className(obj)})`, describeValue(state));
    return plan(ctx.issues);
  }
  const used = new Set<string>();
  const assignments: [string, Build][] = [];
  for (const field of fieldsOf(obj)) {
    const keys = [field.key, ...field.legacyNames];
    for (const key of keys) if (Object.prototype.hasOwnProperty.call(state, key)) used.add(key);
    // The current key wins over legacy keys; an undefined value counts as absent, as stateDict writes it.
    const key = keys.find((k) => Object.prototype.hasOwnProperty.call(state, k) && state[k] !== undefined);
    const current = (obj as Fields)[field.property];
    if (key === undefined) {
      // A field holding undefined had no key in the state it was saved to, so its absence is expected.
      if (!field.optional && current !== undefined) ctx.missing(joinKey(path, field.key), describeExpected(expectedKind(field, current)));
      continue;
    }
    const at = joinKey(path, key);
    ctx.resizable = field.resizable === true;
    const build = field.codec
      ? planKind(field.codec, state[key], current, at, ctx)
      : field.type
        ? planClassValue(field.type(), state[key], at, ctx)
        : planValue(expectedKind(field, current), state[key], at, ctx, true);
    assignments.push([field.property, build]);
  }
  for (const key of Object.keys(state)) {
    if (!used.has(key)) ctx.unexpected(joinKey(path, key), describeValue(state[key]));
  }
  const commit = () => {
    // Every value is built before any is assigned; in-place tensor copies are deferred to the end of the whole load
    // (see fillTensor in load-plan.ts).
    const values = assignments.map(([property, build]) => [property, build()] as const);
    for (const [property, value] of values) (obj as Fields)[property] = value;
  };
  return plan(ctx.issues, commit, ctx.missingKeys, ctx.unexpectedKeys);
}

/** Validates `state` completely against `obj`'s persisted fields, then assigns; on error nothing changes. */
export function loadStateDictInto(obj: object, state: unknown, options: LoadOptions = {}): LoadResult {
  return loadAtomically(() => prepareReflectiveLoad(obj, state, className(obj), options));
}

function saveKind(kind: AnyValueKind, value: unknown, path: string, issues: StateIssue[]): unknown {
  if (kind.isValue(value)) return kind.save(value);
  issues.push({ path, kind: 'type', expected: kind.expected, actual: describeValue(value) });
  return null;
}

function fieldsOf(obj: object): readonly PersistedField[] {
  return persistedFields(obj.constructor as Constructor);
}

/** The kind a loaded value must have: that of the current value, or of `design:type` where there is none. */
function expectedKind(field: PersistedField, current: unknown): ValueKind {
  const kind = kindOf(current);
  return kind.kind === 'absent' ? kindOfDesignType(field.designType) : kind;
}
