/**
 * Fields that hold `@stateful` values in a collection (`Head[]`, `[Head, Body]`, `Record<string, Head>`,
 * `Map<string, Head>`, `Head | null`). A load cannot construct components (their constructors take arguments), so
 * every element's state is loaded *into the element already at that index/key* through its own two-phase loader;
 * the collection itself is never replaced. A state for an index/key with no element is an issue; an element without
 * a state is a missing key (strict: an issue; non-strict: listed in `missingKeys`, the element keeps its state).
 */
import { describeValue, joinIndex, joinKey, type StateIssue } from '../errors.js';
import { isMapEntries, isPlainObject, setOwn } from '../values.js';
import type { CheckContext, Codec } from './codec.js';
import { fieldPath, stateDictAt } from '../save-guard.js';

/** What a slot reports into while the enclosing component prepares its load (implemented by `StateLoad`). */
export interface NestedSink {
  /** For key codecs (Map keys); its issues are the load's issues. */
  readonly check: CheckContext;
  issue(issue: StateIssue): void;
  /** An element with no state: an issue when strict, listed in `missingKeys` otherwise. */
  missing(path: string, expected: string): void;
  /** Prepares the load of `state` into `target` (validated now, committed with the enclosing component). */
  prepare(target: object, state: unknown, path: string): void;
}

/** How a field holding @stateful values is saved and loaded in place. `S` is its State type. */
export interface StatefulSlot<S> {
  /** What its saved form looks like, for messages. */
  readonly expected: string;
  /** `key`: the field's state key, for the paths of cycle and depth errors. */
  stateDict(value: unknown, key?: string): S;
  prepare(current: unknown, state: unknown, path: string, sink: NestedSink): void;
}

function cannotCreate(sink: NestedSink, path: string, className: string, state: unknown): void {
  sink.issue({ path, kind: 'type', expected: `nothing here (a new ${className} cannot be created by a load)`, actual: describeValue(state) });
}

function typeIssue(sink: NestedSink, path: string, expected: string, actual: unknown): void {
  sink.issue({ path, kind: 'type', expected, actual: describeValue(actual) });
}

/** Loads into one existing element, which must be an object (the field's static type says so, but JS may disagree). */
function prepareElement(sink: NestedSink, element: unknown, state: unknown, path: string, className: string): void {
  if (typeof element === 'object' && element !== null) sink.prepare(element, state, path);
  else sink.issue({ path, kind: 'type', expected: `a ${className} to load into`, actual: `the element holds ${describeValue(element)}` });
}

/** Where element `part` of the field `key` is saved (`Owner.heads[2]`), when a guarded save is running. */
function partPath(key: string | undefined, part: (at: string) => string): string | undefined {
  const at = key === undefined ? undefined : fieldPath(key);
  return at === undefined ? undefined : part(at);
}

function elementsStateDict(value: unknown, key?: string): unknown[] {
  return (value as readonly object[]).map((element, i) => stateDictAt(element, partPath(key, (at) => joinIndex(at, i))));
}

/** Arrays and tuples: element `i`'s state is loaded into element `i`; `classAt` names what belongs at an index. */
function sequence<S>(expected: string, holder: string, classAt: (i: number) => string, tooMany: (i: number) => string): StatefulSlot<S> {
  return {
    expected,
    stateDict: elementsStateDict as (value: unknown) => S,
    prepare(current, state, path, sink) {
      if (!Array.isArray(current)) {
        sink.issue({ path, kind: 'type', expected: `${holder} to load into`, actual: `the field holds ${describeValue(current)}` });
        return;
      }
      if (!Array.isArray(state)) return typeIssue(sink, path, expected, state);
      for (let i = 0; i < state.length; i++) {
        const at = joinIndex(path, i);
        if (i < current.length) prepareElement(sink, current[i], state[i], at, classAt(i));
        else sink.issue({ path: at, kind: 'type', expected: tooMany(i), actual: describeValue(state[i]) });
      }
      for (let i = state.length; i < current.length; i++) sink.missing(joinIndex(path, i), `${classAt(i)} state`);
    },
  };
}

/** `Head[]` / `readonly Head[]`. */
export function statefulArray<S>(className: string): StatefulSlot<S> {
  const tooMany = () => `nothing here (a new ${className} cannot be created by a load)`;
  return sequence<S>(`${className} state[]`, `a ${className}[]`, () => className, tooMany);
}

/** `[Head, Body]` (fixed length, no optional elements). */
export function statefulTuple<S>(classNames: readonly string[]): StatefulSlot<S> {
  const shape = `[${classNames.join(', ')}]`;
  const tooMany = () => `nothing here (a ${shape} tuple has ${classNames.length} elements)`;
  return sequence<S>(`[${classNames.map((c) => `${c} state`).join(', ')}]`, `a ${shape} tuple`, (i) => classNames[i]!, tooMany);
}

/** `Record<string, Head>` / `{ [key: string]: Head }`: keys are kept. */
export function statefulRecord<S>(className: string): StatefulSlot<S> {
  const expected = `Record<string, ${className} state>`;
  return {
    expected,
    stateDict(value, field) {
      const out: Record<string, unknown> = {};
      const record = value as Record<string, object>;
      for (const key of Object.keys(record)) setOwn(out, key, stateDictAt(record[key]!, partPath(field, (at) => joinKey(at, key))));
      return out as S;
    },
    prepare(current, state, path, sink) {
      if (!isPlainObject(current)) {
        sink.issue({ path, kind: 'type', expected: `a Record<string, ${className}> to load into`, actual: `the field holds ${describeValue(current)}` });
        return;
      }
      if (!isPlainObject(state)) return typeIssue(sink, path, expected, state);
      for (const key of Object.keys(state)) {
        const at = joinKey(path, key);
        if (Object.hasOwn(current, key)) prepareElement(sink, current[key], state[key], at, className);
        else cannotCreate(sink, at, className, state[key]);
      }
      for (const key of Object.keys(current)) {
        if (!Object.hasOwn(state, key)) sink.missing(joinKey(path, key), `${className} state`);
      }
    },
  };
}

/**
 * `Map<K, Head>`: saved as `[key, state][]` entries in the Map's order. Entries are named by index
 * (`path[2][1]`) like every Map state; an element without an entry has no index and is named by key
 * (`path.get("a")`).
 */
export function statefulMap<S>(key: Codec<unknown>, className: string): StatefulSlot<S> {
  const expected = `[${key.expected}, ${className} state][] (Map entries)`;
  return {
    expected,
    stateDict(value, field) {
      const out: [unknown, unknown][] = [];
      let i = 0;
      for (const [k, v] of value as ReadonlyMap<unknown, object>) {
        const at = i++;
        out.push([k, stateDictAt(v, partPath(field, (p) => joinIndex(joinIndex(p, at), 1)))]);
      }
      return out as S;
    },
    prepare(current, state, path, sink) {
      if (!(current instanceof Map)) {
        sink.issue({ path, kind: 'type', expected: `a Map of ${className} to load into`, actual: `the field holds ${describeValue(current)}` });
        return;
      }
      if (!isMapEntries(state)) return typeIssue(sink, path, expected, state);
      const seen = new Set<unknown>();
      state.forEach(([k, v], i) => {
        const at = joinIndex(path, i);
        if (!key.is(k) && !key.check(k, joinIndex(at, 0), sink.check)) return;
        if (seen.has(k)) return typeIssue(sink, joinIndex(at, 0), 'a key not used by an earlier entry', k);
        seen.add(k);
        if (current.has(k)) prepareElement(sink, current.get(k), v, joinIndex(at, 1), className);
        else cannotCreate(sink, joinIndex(at, 1), className, v);
      });
      for (const k of (current as Map<unknown, unknown>).keys()) {
        if (!seen.has(k)) sink.missing(`${path}.get(${JSON.stringify(k)})`, `${className} state`);
      }
    },
  };
}

/**
 * `Head | null`: null saves as null and loads into a null field. A state for a null field is an issue (nothing to
 * load into); null for an existing component is an issue too (its own loader reports it), since clearing a component
 * the program built is not something a checkpoint should do silently.
 */
export function statefulNullable<S>(className: string): StatefulSlot<S> {
  return {
    expected: `${className} state | null`,
    stateDict: (value, field) => (value === null ? null : stateDictAt(value as object, partPath(field, (at) => at))) as S,
    prepare(current, state, path, sink) {
      if (current === null) {
        if (state !== null) cannotCreate(sink, path, className, state);
        return;
      }
      prepareElement(sink, current, state, path, className);
    },
  };
}
