/**
 * The top level of a generated two-phase load: reads each field's key (or a legacy key), validates it with its codec,
 * collects every issue and the missing/unexpected keys, and turns the result into a {@link LoadPlan}. Generated
 * `prepareLoad` functions are one `StateLoad` plus one call per field and a commit that only assigns.
 */
import { addIssues, constructorName, describeValue, IssueList, issueCount, joinKey, type StateIssue } from '../errors.js';
import { type LoadPlan, plan } from '../load-plan.js';
import { prepareInert, readValue } from '../read-state.js';
import type { LoadOptions } from '../stateful.js';
import { isPlainObject } from '../values.js';
import { adopt, type Codec } from './codec.js';
import type { Apply, PlaceContext, Placer } from './places.js';
import { INVALID, type Invalid } from '../value-kinds.js';
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

/**
 * What one load records: issues, missing and unexpected keys. Each list is allocated when its first entry is added
 * (codecs reach them only for invalid values), because a load runs far more often valid than not and the lists cost
 * more than the rest of validating a small component (measured, BENCHMARKS.md "Issue 7: did not regress").
 */
class LoadRecord implements PlaceContext {
  private issueList: IssueList | undefined;
  private unexpected: string[] | undefined;
  missingKeys: string[] | undefined;

  constructor(readonly strict: boolean) {}

  get issues(): StateIssue[] {
    return (this.issueList ??= new IssueList());
  }

  get unexpectedKeys(): string[] {
    return (this.unexpected ??= []);
  }

  /** The issues recorded so far, or an empty list (without allocating one). */
  recorded(): readonly StateIssue[] {
    return this.issueList ?? NO_ISSUES;
  }

  unexpectedSoFar(): readonly string[] {
    return this.unexpected ?? NONE;
  }

  missing(path: string, expected: string): void {
    if (this.strict) this.issues.push({ path, kind: 'missing', expected, actual: 'nothing' });
    else (this.missingKeys ??= []).push(path);
  }
}

const NO_ISSUES: readonly StateIssue[] = Object.freeze([]);

/**
 * The top level of a component's state, read once: a spread reads each own enumerable property once into a new plain
 * object, which the load then looks keys up in. Fields read their own values (see `field`). Undefined when the state
 * is not a plain object; INVALID, with the issues recorded, when reading it threw.
 */
function readRoot(state: unknown, path: string, ctx: LoadRecord): Record<string, unknown> | undefined | Invalid {
  try {
    return isPlainObject(state) ? { ...state } : undefined;
  } catch {
    // A getter or Proxy threw: the read-by-read copy finds where. (It reads the state again; what the load then
    // validates and commits is that copy.)
    const copy = readValue(state, path, ctx.issues, 1);
    return copy === INVALID || isPlainObject(copy) ? (copy as Record<string, unknown> | Invalid) : undefined;
  }
}

export class StateLoad {
  private readonly ctx: LoadRecord;
  private readonly source: Record<string, unknown> | undefined;
  // Allocated on first use: most loads have no nested components.
  private nested: LoadPlan[] | undefined;
  private nestedSink: NestedSink | undefined;

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
    const ctx = (this.ctx = new LoadRecord(options.strict ?? true));
    const source = readRoot(state, path, ctx);
    if (source === INVALID) return;
    if (source === undefined) {
      const expected = `object (the state of ${constructorName(self) ?? 'a component'})`;
      ctx.issues.push({ path, kind: 'type', expected, actual: describeValue(state) });
      return;
    }
    this.source = source;
    for (const key in source) {
      if (known.has(key) || !Object.hasOwn(source, key)) continue;
      const at = joinKey(path, key);
      if (ctx.strict) ctx.issues.push({ path: at, kind: 'unexpected', expected: '', actual: describeValue(source[key]) });
      else ctx.unexpectedKeys.push(at);
    }
  }

  /** The saved value of a field, validated and decoded (values no one else holds); `ABSENT` when absent or invalid. */
  field<T, S>(key: string, legacyNames: readonly string[], presence: 'required' | 'optional', codec: Codec<T, S>): T | Absent;
  field<T, S>(key: string, legacyNames: readonly string[], presence: 'undefinable', codec: Codec<T, S>): T | undefined | Absent;
  field<T, S>(key: string, legacyNames: readonly string[], presence: Presence, codec: Codec<T, S>): T | undefined | Absent {
    const found = this.lookup(key, legacyNames);
    if (found === ABSENT) return this.absent(key, presence, codec.expected);
    // The fast path reads the value once into the field's new value; a primitive has nothing to read.
    if (codec.identity) {
      if (codec.is(found)) return found as T;
    } else if (codec.take !== undefined) {
      let taken: T | Invalid;
      try {
        taken = codec.take(found);
      } catch {
        taken = INVALID; // a getter or Proxy threw: the slow path finds where
      }
      if (taken !== INVALID) return taken;
    }
    // The slow path: a once-read copy, validated (building paths only now) and decoded by reusing its containers.
    // (When the fast path failed, this reads the value a second time; what is committed is this copy, validated.)
    const at = joinKey(this.path, this.foundKey);
    const inert = this.read(found, at);
    if (inert === INVALID) return ABSENT;
    if (!codec.is(inert) && !codec.check(inert, at, this.ctx)) return ABSENT;
    return adopt(codec, inert as S);
  }

  /** A once-read copy of a field's saved value (read-state.ts); INVALID, with its issues recorded, if unreadable. */
  private read(value: unknown, path: string): unknown {
    return readValue(value, path, this.ctx.issues, 2);
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
    const at = joinKey(this.path, this.foundKey);
    const inert = this.read(found, at);
    if (inert === INVALID) return ABSENT;
    const apply = placer.prepare(inert, current, at, this.ctx);
    return apply === INVALID ? ABSENT : apply;
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
    // The nested loader gets a once-read copy: a hand-written one reads it only at commit.
    const inert = this.read(found, at);
    if (inert !== INVALID) this.absorb(prepareInert(target, inert, at, this.options));
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
    const at = joinKey(this.path, this.foundKey);
    const inert = this.read(found, at);
    if (inert !== INVALID) slot.prepare(target, inert, at, this.sink());
  }

  private sink(): NestedSink {
    if (this.nestedSink !== undefined) return this.nestedSink;
    const ctx = this.ctx;
    this.nestedSink = {
      check: ctx,
      issue: (issue) => {
        ctx.issues.push(issue);
      },
      missing: (path, expected) => ctx.missing(path, expected),
      prepare: (target, state, path) => this.absorb(prepareInert(target, state, path, this.options)),
    };
    return this.nestedSink;
  }

  private absorb(prepared: LoadPlan): void {
    const ctx = this.ctx;
    if (issueCount(prepared.issues) > 0) addIssues(ctx.issues, prepared.issues);
    if (prepared.missingKeys.length > 0) (ctx.missingKeys ??= []).push(...prepared.missingKeys);
    if (prepared.unexpectedKeys.length > 0) ctx.unexpectedKeys.push(...prepared.unexpectedKeys);
    (this.nested ??= []).push(prepared);
  }

  /** The plan: its issues, and a commit that commits nested components and then runs `assign`. */
  plan(assign: () => void): LoadPlan {
    const ctx = this.ctx;
    const issues = ctx.recorded();
    if (issues.length > 0) return plan(issues);
    const nested = this.nested;
    const commit = nested
      ? () => {
          for (const p of nested) p.commit();
          assign();
        }
      : assign;
    return plan(issues, commit, ctx.missingKeys ?? NONE, ctx.unexpectedSoFar());
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
    if (presence === 'required') this.ctx.missing(joinKey(this.path, key), expected);
    return ABSENT;
  }
}

