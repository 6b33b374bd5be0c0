/** Codecs of containers: arrays, tuples, objects and records, unions, nullable values, Maps and Sets. */
import { addIssues, describeValue, IssueList, joinIndex, joinKey } from '../errors.js';
import { clonePlain, copyPlain, isPlainObject, setOwn } from '../values.js';
import { INVALID, type Invalid } from '../value-kinds.js';
import { boolean, number, string } from './scalars.js';
import { adopt, canTake, type CheckContext, type Codec, same, take, typeIssue } from './codec.js';

function copyArray<T>(value: readonly T[]): T[] {
  return value.slice();
}

/**
 * The elements of `value`, each read once, in a new array: `Array.from` reads an array as its iterator yields it,
 * which for a real array is each index once, and is as fast as `slice` (a loop of keyed reads was 3× slower).
 */
function readElements(value: unknown): unknown[] | Invalid {
  return Array.isArray(value) ? Array.from(value as unknown[]) : INVALID;
}

/** The `typeof` of every valid value of `codec`, when that alone decides (number, string, boolean). */
function typeofTag(codec: Codec<unknown, unknown>): string | undefined {
  if (codec === number) return 'number';
  if (codec === string) return 'string';
  if (codec === boolean) return 'boolean';
  return undefined;
}

/**
 * The fast path of an array codec. Arrays of numbers, strings or booleans (most array state) compare `typeof`
 * in the loop rather than calling the element codec's `is`, a call that one shared loop over every array of the
 * load could not inline (measured: the element checks were a sixth of a load).
 */
function takeArray<T>(element: Codec<T, unknown>): (value: unknown) => T[] | Invalid {
  const tag = typeofTag(element as Codec<unknown, unknown>);
  if (tag === 'number') return takeNumbers as (value: unknown) => T[] | Invalid;
  if (tag === 'string') return takeStrings as (value: unknown) => T[] | Invalid;
  if (tag === 'boolean') return takeBooleans as (value: unknown) => T[] | Invalid;
  return (value) => takeElements(readElements(value), element);
}

// One function per element type, each with its own `typeof` literal, not one closure over a `tag` variable: the
// closures V8 makes from one function literal share one type feedback, so a shared loop that saw arrays of numbers
// and of strings read their elements as tagged values and boxed every element of a double array (measured: a
// 100-number array took 1.0 µs shared, 0.13 µs here; BENCHMARKS.md "Round trip after a further pass").
function takeNumbers(value: unknown): number[] | Invalid {
  if (!Array.isArray(value)) return INVALID;
  const items = Array.from(value as unknown[]);
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'number') return INVALID;
  return items as number[];
}

function takeStrings(value: unknown): string[] | Invalid {
  if (!Array.isArray(value)) return INVALID;
  const items = Array.from(value as unknown[]);
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'string') return INVALID;
  return items as string[];
}

function takeBooleans(value: unknown): boolean[] | Invalid {
  if (!Array.isArray(value)) return INVALID;
  const items = Array.from(value as unknown[]);
  for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'boolean') return INVALID;
  return items as boolean[];
}

/** Takes every element of `items` (a fresh array) with `element`, in place; INVALID at the first that does not fit. */
function takeElements<T>(items: unknown[] | Invalid, element: Codec<T, unknown>): T[] | Invalid {
  if (items === INVALID) return INVALID;
  if (element.identity) {
    for (let i = 0; i < items.length; i++) if (!element.is(items[i])) return INVALID;
    return items as T[];
  }
  for (let i = 0; i < items.length; i++) {
    const taken = element.take!(items[i]);
    if (taken === INVALID) return INVALID;
    items[i] = taken;
  }
  return items as T[];
}

/** Decodes the elements of an array the load owns into the array itself. */
function adoptElements<T, S>(value: S[], element: Codec<T, S>): T[] {
  const out = value as unknown as T[];
  for (let i = 0; i < value.length; i++) out[i] = adopt(element, value[i]!);
  return out;
}

export function array<T, S>(element: Codec<T, S>): Codec<T[], S[]> {
  const expected = `${element.expected}[]`;
  const is = (value: unknown): boolean => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) if (!element.is(value[i])) return false;
    return true;
  };
  return {
    expected,
    identity: false,
    is,
    check(value, path, ctx): value is S[] {
      if (is(value)) return true;
      if (!Array.isArray(value)) return typeIssue(ctx, path, expected, value);
      let ok = true;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (!element.is(v)) ok = element.check(v, joinIndex(path, i), ctx) && ok;
      }
      return ok;
    },
    decode: element.identity ? (copyArray as (v: S[]) => T[]) : (value) => value.map((v) => element.decode(v)),
    adopt: element.identity ? (same as (v: S[]) => T[]) : (value) => adoptElements(value, element),
    take: canTake(element) ? takeArray(element) : undefined,
    encode: element.identity ? (copyArray as (v: T[]) => S[]) : (value) => value.map((v) => element.encode(v)),
  };
}

/** A tuple; elements from `required` on may be absent (`[a, b?]`). */
export function tuple(elements: readonly Codec<unknown>[], required: number = elements.length): Codec<unknown[]> {
  const expected = `[${elements.map((e, i) => (i < required ? e.expected : `${e.expected}?`)).join(', ')}]`;
  const length = required === elements.length ? `${required}` : `${required}–${elements.length}`;
  const identity = elements.every((e) => e.identity);
  const is = (value: unknown): boolean => {
    if (!Array.isArray(value) || value.length < required || value.length > elements.length) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i >= required && value[i] === undefined) && !elements[i]!.is(value[i])) return false;
    }
    return true;
  };
  return {
    expected,
    identity: false,
    is,
    check(value, path, ctx): value is unknown[] {
      if (is(value)) return true;
      if (!Array.isArray(value)) return typeIssue(ctx, path, expected, value);
      if (value.length < required || value.length > elements.length) {
        return typeIssue(ctx, path, `${expected} (${length} elements)`, value);
      }
      let ok = true;
      for (let i = 0; i < value.length; i++) {
        if (i >= required && value[i] === undefined) continue;
        ok = elements[i]!.check(value[i], joinIndex(path, i), ctx) && ok;
      }
      return ok;
    },
    decode: identity ? copyArray : (value) => value.map((v, i) => (v === undefined ? v : elements[i]!.decode(v))),
    adopt: identity ? same : (value) => value.map((v, i) => (v === undefined ? v : adopt(elements[i]!, v))),
    take: elements.every(canTake) ? (value: unknown) => takeTuple(value, elements, required) : undefined,
    encode: identity ? copyArray : (value) => value.map((v, i) => (v === undefined ? v : elements[i]!.encode(v))),
  };
}

function takeTuple(value: unknown, elements: readonly Codec<unknown>[], required: number): unknown[] | Invalid {
  const items = readElements(value);
  if (items === INVALID || items.length < required || items.length > elements.length) return INVALID;
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (i >= required && v === undefined) continue;
    const taken = take(elements[i]!, v);
    if (taken === INVALID) return INVALID;
    items[i] = taken;
  }
  return items;
}

export interface PropertyCodec {
  readonly key: string;
  readonly codec: Codec<unknown>;
  /** Declared `key?:` (or its type includes undefined): may be absent; undefined is saved as an absent key. */
  readonly optional?: boolean;
}

function own(value: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

/**
 * A plain object with known properties (interfaces, aliases, object literal types) and/or a string index signature
 * (`Record<string, T>`). Keys matching neither are unexpected.
 */
export function object(properties: readonly PropertyCodec[], index?: Codec<unknown>): Codec<Record<string, unknown>> {
  const known = new Set(properties.map((p) => p.key));
  const expected = properties.length === 0 && index ? `Record<string, ${index.expected}>` : 'object';
  const is = (value: unknown): boolean => {
    if (!isPlainObject(value)) return false;
    let seen = 0;
    for (const p of properties) {
      const v = own(value, p.key);
      if (v === undefined) {
        if (!p.optional) return false;
      } else if (!p.codec.is(v)) return false;
      else seen++;
    }
    // Only own enumerable keys count; when every key is a known property, there is nothing else to look at.
    const keys = Object.keys(value);
    if (keys.length === seen) return true;
    for (const key of keys) {
      if (known.has(key)) continue;
      if (!index || !index.is(value[key])) return false;
    }
    return true;
  };
  return {
    expected,
    identity: false,
    is,
    check(value, path, ctx): value is Record<string, unknown> {
      if (is(value)) return true;
      if (!isPlainObject(value)) return typeIssue(ctx, path, expected, value);
      let ok = true;
      for (const p of properties) {
        const v = own(value, p.key);
        if (v === undefined) {
          if (!p.optional) {
            ctx.issues.push({ path: joinKey(path, p.key), kind: 'missing', expected: p.codec.expected, actual: 'nothing' });
            ok = false;
          }
          continue;
        }
        if (!p.codec.is(v)) ok = p.codec.check(v, joinKey(path, p.key), ctx) && ok;
      }
      for (const key of Object.keys(value)) {
        if (known.has(key)) continue;
        const at = joinKey(path, key);
        if (index) ok = index.check(value[key], at, ctx) && ok;
        else if (ctx.strict) {
          ctx.issues.push({ path: at, kind: 'unexpected', expected: '', actual: describeValue(value[key]) });
          ok = false;
        } else ctx.unexpectedKeys.push(at);
      }
      return ok;
    },
    // A record of primitives copies with a spread (which defines `__proto__` as an own key, like setOwn).
    decode: properties.length === 0 && index?.identity ? copyRecord : (value) => convert(value, properties, known, index, 'decode'),
    adopt: properties.length === 0 && index?.identity ? same : (value) => convert(value, properties, known, index, 'adopt'),
    take:
      properties.every((p) => canTake(p.codec)) && (index === undefined || canTake(index))
        ? (value: unknown) => takeObject(value, properties, known, index)
        : undefined,
    encode: properties.length === 0 && index?.identity ? copyRecord : (value) => convert(value, properties, known, index, 'encode'),
  };
}

/**
 * The fast path of an object codec: one spread reads each own enumerable property once into a new plain object,
 * which is then checked strictly and decoded in place.
 */
function takeObject(
  value: unknown,
  properties: readonly PropertyCodec[],
  known: ReadonlySet<string>,
  index: Codec<unknown> | undefined,
): Record<string, unknown> | Invalid {
  if (!isPlainObject(value)) return INVALID;
  const copy: Record<string, unknown> = { ...value };
  if (properties.length === 0 && index !== undefined) {
    const tag = typeofTag(index);
    for (const key in copy) {
      if (!Object.hasOwn(copy, key)) continue;
      if (tag !== undefined) {
        if (typeof copy[key] !== tag) return INVALID;
        continue;
      }
      const taken = take(index, copy[key]);
      if (taken === INVALID) return INVALID;
      if (!index.identity) copy[key] = taken;
    }
    return copy;
  }
  const out: Record<string, unknown> = {};
  let seen = 0;
  for (const p of properties) {
    const v = Object.hasOwn(copy, p.key) ? copy[p.key] : undefined;
    if (v === undefined) {
      if (!p.optional) return INVALID;
      continue;
    }
    seen++;
    const taken = take(p.codec, v);
    if (taken === INVALID) return INVALID;
    setOwn(out, p.key, taken);
  }
  const keys = Object.keys(copy);
  if (keys.length === seen) return out;
  for (const key of keys) {
    if (known.has(key)) continue;
    if (index === undefined) return INVALID;
    const taken = take(index, copy[key]);
    if (taken === INVALID) return INVALID;
    setOwn(out, key, taken);
  }
  return out;
}

function copyRecord(value: Record<string, unknown>): Record<string, unknown> {
  return { ...value };
}

function convert(
  value: Record<string, unknown>,
  properties: readonly PropertyCodec[],
  known: ReadonlySet<string>,
  index: Codec<unknown> | undefined,
  direction: 'decode' | 'adopt' | 'encode',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const v = Object.hasOwn(value, p.key) ? value[p.key] : undefined;
    if (v === undefined) continue;
    const converted = convertOne(p.codec, v, direction);
    if (p.key === '__proto__') setOwn(out, p.key, converted);
    else out[p.key] = converted;
  }
  if (index) {
    for (const key of Object.keys(value)) {
      if (!known.has(key)) setOwn(out, key, convertOne(index, value[key], direction));
    }
  }
  return out;
}

function convertOne(codec: Codec<unknown>, value: unknown, direction: 'decode' | 'adopt' | 'encode'): unknown {
  if (codec.identity) return value;
  return direction === 'adopt' ? adopt(codec, value) : codec[direction](value);
}

/**
 * A union of plain-data members (the generator only allows unions whose members are plain data, so a value's saved
 * form is its field form and a copy converts either way). The first member whose check passes decides; when none
 * does, one issue names the whole union.
 */
export function union(members: readonly Codec<unknown>[]): Codec<unknown> {
  const expected = members.map((m) => m.expected).join(' | ');
  const identity = members.every((m) => m.identity);
  const is = (value: unknown): boolean => members.some((m) => m.is(value));
  // The member a value is decoded with: one it fits exactly, else one it fits with ignored (non-strict) extra keys,
  // whose decode then leaves those keys out, as a lone object codec does.
  const memberOf = (value: unknown): Codec<unknown> | undefined =>
    members.find((m) => m.is(value)) ??
    members.find((m) => m.check(value, '', { issues: new IssueList(), strict: false, unexpectedKeys: [] }));
  return {
    expected,
    identity,
    is,
    check(value, path, ctx): value is unknown {
      if (is(value)) return true;
      for (const m of members) {
        const scratch: CheckContext = { issues: new IssueList(), strict: ctx.strict, unexpectedKeys: [] };
        if (m.check(value, path, scratch)) {
          ctx.unexpectedKeys.push(...scratch.unexpectedKeys);
          return true;
        }
      }
      return typeIssue(ctx, path, expected, value);
    },
    decode: identity ? same : (value) => (memberOf(value) ?? { decode: clonePlain }).decode(value),
    adopt: undefined,
    take: undefined,
    encode: identity ? same : copyPlain,
  };
}

/** `T | null` with the member's own detailed messages when the value is not null. */
export function nullable<T, S>(inner: Codec<T, S>): Codec<T | null, S | null> {
  const expected = `${inner.expected} | null`;
  const is = (value: unknown): boolean => value === null || inner.is(value);
  return {
    expected,
    identity: inner.identity,
    is,
    check(value, path, ctx): value is S | null {
      if (is(value)) return true;
      const scratch: CheckContext = { issues: new IssueList(), strict: ctx.strict, unexpectedKeys: [] };
      if (inner.check(value, path, scratch)) {
        ctx.unexpectedKeys.push(...scratch.unexpectedKeys);
        return true;
      }
      // A value of the right kind with a bad part reports the part; a value of the wrong kind names the union.
      if (scratch.issues.length === 1 && scratch.issues[0]!.path === path) return typeIssue(ctx, path, expected, value);
      addIssues(ctx.issues, scratch.issues);
      return false;
    },
    decode: (value) => (value === null || inner.identity ? (value as T | null) : inner.decode(value)),
    adopt: (value) => (value === null ? null : adopt(inner, value)),
    take: canTake(inner) ? (value: unknown) => (value === null ? null : take(inner, value)) : undefined,
    encode: (value) => (value === null || inner.identity ? (value as S | null) : inner.encode(value)),
  };
}

function isPair(value: unknown): value is [unknown, unknown] {
  return Array.isArray(value) && value.length === 2;
}

export function map<K, V, EK, EV>(key: Codec<K, EK>, value: Codec<V, EV>): Codec<Map<K, V>, [EK, EV][]> {
  const expected = `[${key.expected}, ${value.expected}][] (Map entries)`;
  const is = (input: unknown): boolean => {
    if (!Array.isArray(input)) return false;
    for (const e of input) if (!isPair(e) || !key.is(e[0]) || !value.is(e[1])) return false;
    return true;
  };
  return {
    expected,
    identity: false,
    is,
    check(input, path, ctx): input is [EK, EV][] {
      if (is(input)) return true;
      if (!Array.isArray(input) || !input.every(isPair)) return typeIssue(ctx, path, expected, input);
      let ok = true;
      for (let i = 0; i < input.length; i++) {
        const [k, v] = input[i] as [unknown, unknown];
        const at = joinIndex(path, i);
        ok = key.check(k, joinIndex(at, 0), ctx) && ok;
        ok = value.check(v, joinIndex(at, 1), ctx) && ok;
      }
      return ok;
    },
    decode(input) {
      const out = new Map<K, V>();
      for (const [k, v] of input) out.set(key.decode(k), value.decode(v));
      return out;
    },
    adopt: undefined,
    take: canTake(key) && canTake(value) ? (input: unknown) => takeMap(input, key, value) : undefined,
    encode(input) {
      const out: [EK, EV][] = [];
      for (const [k, v] of input) out.push([key.encode(k), value.encode(v)]);
      return out;
    },
  };
}

function takeMap<K, V>(input: unknown, key: Codec<K, unknown>, value: Codec<V, unknown>): Map<K, V> | Invalid {
  const entries = readElements(input);
  if (entries === INVALID) return INVALID;
  const out = new Map<K, V>();
  for (const entry of entries) {
    // An entry is read as a pair: its length and two elements, each once.
    if (!Array.isArray(entry)) return INVALID;
    const pair = entry as unknown[];
    if (pair.length !== 2) return INVALID;
    const k = take(key, pair[0]);
    const v = take(value, pair[1]);
    if (k === INVALID || v === INVALID) return INVALID;
    out.set(k, v);
  }
  return out;
}

export function set<T, S>(element: Codec<T, S>): Codec<Set<T>, S[]> {
  const expected = `${element.expected}[] (Set items)`;
  const items = array(element);
  return {
    expected,
    identity: false,
    is: items.is,
    check: (value, path, ctx): value is S[] => (Array.isArray(value) ? items.check(value, path, ctx) : typeIssue(ctx, path, expected, value)),
    decode(value) {
      const out = new Set<T>();
      for (const v of value) out.add(element.decode(v));
      return out;
    },
    adopt: undefined,
    take: canTake(element)
      ? (value: unknown): Set<T> | Invalid => {
          const taken = takeElements(readElements(value), element);
          return taken === INVALID ? INVALID : new Set(taken);
        }
      : undefined,
    encode(value) {
      const out: S[] = [];
      for (const v of value) out.push(element.encode(v));
      return out;
    },
  };
}
