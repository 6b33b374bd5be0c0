/**
 * The top level of a generated two-phase load: reads each field's key (or a legacy key), validates it with its codec,
 * collects every issue and the missing/unexpected keys, and turns the result into a {@link LoadPlan}. Generated
 * `prepareLoad` functions are one `StateLoad` plus one call per field and a commit that only assigns.
 */
import { addIssues, constructorName, describeValue, IssueList, joinKey, type StateIssue } from '../errors.js';
import { type LoadPlan, plan, prepareLoad } from '../load-plan.js';
import type { LoadOptions } from '../stateful.js';
import { isPlainObject } from '../values.js';
import type { CheckContext, Codec } from './codec.js';
import type { Apply, PlaceContext, Placer } from './places.js';
import { INVALID } from '../value-kinds.js';
import type { NestedSink, StatefulSlot } from './stateful-slots.js';

/** Returned for a field whose key is absent (or whose value is invalid): the commit leaves the field alone. */
export const ABSENT: unique symbol = Symbol('kindling:absent') as never;
export type Absent = typeof ABSENT;

/**
 * How a field's absence is treated: `required` (strict: an issue; non-strict: listed in `missingKeys`), `optional`
 * (`@persist({ optional: true })`: the field keeps its value, nothing reported), `undefinable` (a `?` field: absence
 * means the saved value was `undefined`).
 */
export type Presence = 'required' | 'optional' | 'undefinable';

const NONE: readonly string[] = Object.freeze([]);
const UNDEFINED: Apply<undefined> = () => undefined;

export class StateLoad {
  private readonly ctx: CheckContext;
  // Allocated on first use: most loads have no missing keys and no nested components.
  private missingKeys: string[] | undefined;
  private readonly source: Record<string, unknown> | undefined;
  private nested: LoadPlan[] | undefined;

  /** The key `lookup` last found (the current key or a legacy name). */
  private foundKey = '';

  /** `self`: the component loaded into; `known`: every key and legacy key of it; other keys are unexpected. */
  constructor(
    self: object,
    state: unknown,
    private readonly path: string,
    private readonly options: LoadOptions,
    known: ReadonlySet<string>,
  ) {
    this.ctx = { issues: new IssueList(), strict: options.strict ?? true, unexpectedKeys: [] };
    if (!isPlainObject(state)) {
      const expected = `object (the state of ${constructorName(self) ?? 'a component'})`;
      this.ctx.issues.push({ path, kind: 'type', expected, actual: describeValue(state) });
      return;
    }
    this.source = state;
    for (const key in state) {
      if (known.has(key) || !Object.hasOwn(state, key)) continue;
      const at = joinKey(path, key);
      if (this.ctx.strict) this.ctx.issues.push({ path: at, kind: 'unexpected', expected: '', actual: describeValue(state[key]) });
      else this.ctx.unexpectedKeys.push(at);
    }
  }

  /** The saved value of a field, validated and decoded (a fresh copy); `ABSENT` when absent or invalid. */
  field<T, S>(key: string, legacyNames: readonly string[], presence: 'required' | 'optional', codec: Codec<T, S>): T | Absent;
  field<T, S>(key: string, legacyNames: readonly string[], presence: 'undefinable', codec: Codec<T, S>): T | undefined | Absent;
  field<T, S>(key: string, legacyNames: readonly string[], presence: Presence, codec: Codec<T, S>): T | undefined | Absent {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) return this.absent(key, presence, codec.expected);
    // Paths are only built for values that fail the allocation-free test.
    if (!codec.is(found) && !codec.check(found, joinKey(this.path, this.foundKey), this.ctx)) return ABSENT;
    return codec.identity ? (found as T) : codec.decode(found as S);
  }

  /**
   * The saved value of a tensor field, validated but not copied: the commit copies it into the field's current
   * tensor when dtype and shape match (`loadTensorValue`), or clones it.
   */
  tensor<T, S>(key: string, legacyNames: readonly string[], presence: 'required' | 'optional', codec: Codec<T, S>): S | Absent;
  tensor<T, S>(key: string, legacyNames: readonly string[], presence: 'undefinable', codec: Codec<T, S>): S | undefined | Absent;
  tensor<T, S>(key: string, legacyNames: readonly string[], presence: Presence, codec: Codec<T, S>): S | undefined | Absent {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) return this.absent(key, presence, codec.expected);
    if (!codec.is(found) && !codec.check(found, joinKey(this.path, this.foundKey), this.ctx)) return ABSENT;
    return found as S;
  }

  /**
   * A field whose load depends on its live value `current` (tensors filled in place, value kinds, containers of
   * them): validated now against `current`, returned as the commit that applies it; `ABSENT` when absent or invalid.
   */
  place<T, S>(key: string, legacyNames: readonly string[], presence: 'required' | 'optional', placer: Placer<T, S>, current: unknown): Apply<T> | Absent;
  place<T, S>(key: string, legacyNames: readonly string[], presence: 'undefinable', placer: Placer<T, S>, current: unknown): Apply<T | undefined> | Absent;
  place<T, S>(key: string, legacyNames: readonly string[], presence: Presence, placer: Placer<T, S>, current: unknown): Apply<T | undefined> | Absent {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) return this.absent(key, presence, placer.expected) === undefined ? UNDEFINED : ABSENT;
    const apply = placer.prepare(found, current, joinKey(this.path, this.foundKey), this.places());
    return apply === INVALID ? ABSENT : apply;
  }

  private placeContext: PlaceContext | undefined;

  private places(): PlaceContext {
    if (this.placeContext !== undefined) return this.placeContext;
    const ctx = this.ctx;
    const context: PlaceContext = {
      issues: ctx.issues,
      strict: ctx.strict,
      unexpectedKeys: ctx.unexpectedKeys,
      missing: (path, expected) => {
        if (ctx.strict) ctx.issues.push({ path, kind: 'missing', expected, actual: 'nothing' });
        else (this.missingKeys ??= []).push(path);
      },
    };
    this.placeContext = context;
    return context;
  }

  /**
   * A nested `@stateful` value: prepared by its own loader now (so its state is validated before anything changes
   * anywhere) and committed with this component.
   */
  stateful(target: unknown, className: string, key: string, legacyNames: readonly string[], presence: Presence): void {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) {
      this.absent(key, presence, `${className} state`);
      return;
    }
    const at = joinKey(this.path, this.foundKey);
    if (typeof target !== 'object' || target === null) {
      this.ctx.issues.push({ path: at, kind: 'type', expected: `a ${className} to load into`, actual: describeValue(target) });
      return;
    }
    this.absorb(prepareLoad(target, found, at, this.options));
  }

  /**
   * A field holding @stateful values in a collection (`slot`: `statefulArray(…)`, `statefulMap(…)`, …): every element's
   * state is prepared now by the element's own loader, and committed with this component. The field keeps its
   * collection; nothing is assigned.
   */
  statefuls<S>(target: unknown, slot: StatefulSlot<S>, key: string, legacyNames: readonly string[], presence: Presence): void {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) {
      this.absent(key, presence, slot.expected);
      return;
    }
    slot.prepare(target, found, joinKey(this.path, this.foundKey), this.sink());
  }

  private sink(): NestedSink {
    const ctx = this.ctx;
    return {
      check: ctx,
      issue: (issue) => {
        ctx.issues.push(issue);
      },
      missing: (path, expected) => {
        if (ctx.strict) ctx.issues.push({ path, kind: 'missing', expected, actual: 'nothing' });
        else (this.missingKeys ??= []).push(path);
      },
      prepare: (target, state, path) => this.absorb(prepareLoad(target, state, path, this.options)),
    };
  }

  private absorb(prepared: LoadPlan): void {
    addIssues(this.ctx.issues, prepared.issues);
    if (prepared.missingKeys.length > 0) (this.missingKeys ??= []).push(...prepared.missingKeys);
    this.ctx.unexpectedKeys.push(...prepared.unexpectedKeys);
    (this.nested ??= []).push(prepared);
  }

  /** The plan: its issues, and a commit that commits nested components and then runs `assign`. */
  plan(assign: () => void): LoadPlan {
    const issues: readonly StateIssue[] = this.ctx.issues;
    if (issues.length > 0) return plan(issues);
    const nested = this.nested;
    const commit = nested
      ? () => {
          for (const p of nested) p.commit();
          assign();
        }
      : assign;
    return plan(issues, commit, this.missingKeys ?? NONE, this.ctx.unexpectedKeys);
  }

  /** The value under the key actually present (the current key wins over legacy keys), remembered in `foundKey`. */
  private lookup(key: string, legacyNames: readonly string[]): unknown {
    const source = this.source;
    if (source === undefined) return ABSENT;
    // An undefined value counts as absent, as stateDict() writes it.
    let value = Object.prototype.hasOwnProperty.call(source, key) ? source[key] : undefined;
    if (value !== undefined) {
      this.foundKey = key;
      return value;
    }
    for (const legacy of legacyNames) {
      value = Object.prototype.hasOwnProperty.call(source, legacy) ? source[legacy] : undefined;
      if (value !== undefined) {
        this.foundKey = legacy;
        return value;
      }
    }
    return ABSENT;
  }

  private absent(key: string, presence: Presence, expected: string): undefined | Absent {
    if (this.source === undefined) return ABSENT;
    if (presence === 'undefinable') return undefined;
    if (presence === 'required') {
      const at = joinKey(this.path, key);
      if (this.ctx.strict) this.ctx.issues.push({ path: at, kind: 'missing', expected, actual: 'nothing' });
      else (this.missingKeys ??= []).push(at);
    }
    return ABSENT;
  }
}

