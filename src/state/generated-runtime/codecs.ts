/**
 * Codecs: the small validators/converters generated code is assembled from. The generator turns each field's static
 * type into one codec expression (e.g. `nullable(number)`), built once at module load, so validating or encoding a
 * field is a single call and no type information is looked up at run time.
 *
 * `check` validates deeply and records every problem; `decode` turns a validated state value into a fresh field
 * value (copies, Map/Set/Date/bigint decoded); `encode` turns a field value into a fresh state value.
 */
import { type ClassConstructor, instanceToPlain, plainToInstance } from 'class-transformer';
import { describeValue, joinIndex, joinKey, type StateIssue } from '../errors.js';
import { cloneTensor, isTensor, type Tensor } from '../tensor.js';
import {
  clonePlain,
  copyPlain,
  decodeBigint,
  decodeDate,
  decodeMap,
  decodeSet,
  encodeBigint,
  encodeDate,
  encodeMap,
  encodeSet,
  isBigintString,
  isMapEntries,
  isPlainObject,
  setOwn,
} from '../values.js';

/** Where `check` records what it finds. */
export interface CheckContext {
  readonly issues: StateIssue[];
  /** Strict loads report unexpected keys as issues; non-strict loads list them in `unexpectedKeys`. */
  readonly strict: boolean;
  readonly unexpectedKeys: string[];
}

export interface Codec<T, S = T> {
  /** What a valid state value looks like, for messages: `number`, `"min" | "max"`, `Tensor<float32>`. */
  readonly expected: string;
  check(value: unknown, path: string, ctx: CheckContext): value is S;
  decode(value: S): T;
  encode(value: T): S;
}

function typeIssue(ctx: CheckContext, path: string, expected: string, value: unknown): false {
  ctx.issues.push({ path, kind: 'type', expected, actual: describeValue(value) });
  return false;
}

function same<T>(value: T): T {
  return value;
}

function primitive<T>(expected: string, test: (value: unknown) => boolean): Codec<T> {
  return {
    expected,
    check: (value, path, ctx): value is T => test(value) || typeIssue(ctx, path, expected, value),
    decode: same,
    encode: same,
  };
}

export const number: Codec<number> = primitive('number', (v) => typeof v === 'number');
export const string: Codec<string> = primitive('string', (v) => typeof v === 'string');
export const boolean: Codec<boolean> = primitive('boolean', (v) => typeof v === 'boolean');
export const nullValue: Codec<null> = primitive('null', (v) => v === null);

/** `bigint` ⇄ its decimal string. */
export const bigint: Codec<bigint, string> = {
  expected: 'bigint (a decimal string)',
  check: (value, path, ctx): value is string => isBigintString(value) || typeIssue(ctx, path, bigint.expected, value),
  decode: decodeBigint,
  encode: encodeBigint,
};

/** `Date` ⇄ epoch milliseconds. */
export const date: Codec<Date, number> = {
  expected: 'number (a Date as epoch milliseconds)',
  check: (value, path, ctx): value is number => typeof value === 'number' || typeIssue(ctx, path, date.expected, value),
  decode: decodeDate,
  encode: encodeDate,
};

function literalText(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** One of the given literal values (literal unions, enums). `name` labels an enum in messages. */
export function literal<T extends string | number | boolean>(values: readonly T[], name?: string): Codec<T> {
  const list = values.map(literalText).join(' | ');
  const expected = name ? `${name} (${list})` : list;
  return primitive(expected, (v) => values.includes(v as T));
}

export function array<T, S>(element: Codec<T, S>): Codec<T[], S[]> {
  const expected = `${element.expected}[]`;
  return {
    expected,
    check(value, path, ctx): value is S[] {
      if (!Array.isArray(value)) return typeIssue(ctx, path, expected, value);
      let ok = true;
      for (let i = 0; i < value.length; i++) ok = element.check(value[i], joinIndex(path, i), ctx) && ok;
      return ok;
    },
    decode: (value) => value.map((v) => element.decode(v)),
    encode: (value) => value.map((v) => element.encode(v)),
  };
}

/** A tuple; elements from `required` on may be absent (`[a, b?]`). */
export function tuple(elements: readonly Codec<unknown>[], required: number = elements.length): Codec<unknown[]> {
  const expected = `[${elements.map((e, i) => (i < required ? e.expected : `${e.expected}?`)).join(', ')}]`;
  const length = required === elements.length ? `${required}` : `${required}–${elements.length}`;
  return {
    expected,
    check(value, path, ctx): value is unknown[] {
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
    decode: (value) => value.map((v, i) => (v === undefined ? v : elements[i]!.decode(v))),
    encode: (value) => value.map((v, i) => (v === undefined ? v : elements[i]!.encode(v))),
  };
}

export interface PropertyCodec {
  readonly key: string;
  readonly codec: Codec<unknown>;
  /** Declared `key?:` (or its type includes undefined): may be absent; undefined is saved as an absent key. */
  readonly optional?: boolean;
}

/**
 * A plain object with known properties (interfaces, aliases, object literal types) and/or a string index signature
 * (`Record<string, T>`). Keys matching neither are unexpected.
 */
export function object(properties: readonly PropertyCodec[], index?: Codec<unknown>): Codec<Record<string, unknown>> {
  const known = new Set(properties.map((p) => p.key));
  const expected = properties.length === 0 && index ? `Record<string, ${index.expected}>` : 'object';
  return {
    expected,
    check(value, path, ctx): value is Record<string, unknown> {
      if (!isPlainObject(value)) return typeIssue(ctx, path, expected, value);
      let ok = true;
      for (const p of properties) {
        const at = joinKey(path, p.key);
        const v = Object.prototype.hasOwnProperty.call(value, p.key) ? value[p.key] : undefined;
        if (v === undefined) {
          if (!p.optional) {
            ctx.issues.push({ path: at, kind: 'missing', expected: p.codec.expected, actual: 'nothing' });
            ok = false;
          }
          continue;
        }
        ok = p.codec.check(v, at, ctx) && ok;
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
    decode: (value) => convert(value, properties, known, index, 'decode'),
    encode: (value) => convert(value, properties, known, index, 'encode'),
  };
}

function convert(
  value: Record<string, unknown>,
  properties: readonly PropertyCodec[],
  known: ReadonlySet<string>,
  index: Codec<unknown> | undefined,
  direction: 'decode' | 'encode',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of properties) {
    const v = Object.prototype.hasOwnProperty.call(value, p.key) ? value[p.key] : undefined;
    if (v !== undefined) setOwn(out, p.key, p.codec[direction](v));
  }
  if (index) {
    for (const key of Object.keys(value)) {
      if (!known.has(key)) setOwn(out, key, index[direction](value[key]));
    }
  }
  return out;
}

/**
 * A union of plain-data members (the generator only allows unions whose members are plain data, so a value's saved
 * form is its field form and a copy converts either way). The first member whose check passes decides; when none
 * does, one issue names the whole union.
 */
export function union(members: readonly Codec<unknown>[]): Codec<unknown> {
  const expected = members.map((m) => m.expected).join(' | ');
  return {
    expected,
    check(value, path, ctx): value is unknown {
      for (const m of members) {
        const scratch: CheckContext = { issues: [], strict: ctx.strict, unexpectedKeys: [] };
        if (m.check(value, path, scratch)) {
          ctx.unexpectedKeys.push(...scratch.unexpectedKeys);
          return true;
        }
      }
      return typeIssue(ctx, path, expected, value);
    },
    decode: copyPlain,
    encode: copyPlain,
  };
}

/** `T | null` with the member's own detailed messages when the value is not null. */
export function nullable<T, S>(inner: Codec<T, S>): Codec<T | null, S | null> {
  const expected = `${inner.expected} | null`;
  return {
    expected,
    check(value, path, ctx): value is S | null {
      if (value === null) return true;
      const scratch: CheckContext = { issues: [], strict: ctx.strict, unexpectedKeys: [] };
      if (inner.check(value, path, scratch)) {
        ctx.unexpectedKeys.push(...scratch.unexpectedKeys);
        return true;
      }
      // A value of the right kind with a bad part reports the part; a value of the wrong kind names the union.
      if (scratch.issues.length === 1 && scratch.issues[0]!.path === path) return typeIssue(ctx, path, expected, value);
      ctx.issues.push(...scratch.issues);
      return false;
    },
    decode: (value) => (value === null ? null : inner.decode(value)),
    encode: (value) => (value === null ? null : inner.encode(value)),
  };
}

/** A tensor of one of `dtypes` (any dtype when empty). Inside containers a loaded tensor is copied. */
export function tensor<T extends Tensor = Tensor>(dtypes: readonly string[] = []): Codec<T> {
  const expected = dtypes.length === 0 ? 'Tensor' : dtypes.map((d) => `Tensor<${d}>`).join(' | ');
  return {
    expected,
    check: (value, path, ctx): value is T =>
      (isTensor(value) && (dtypes.length === 0 || dtypes.includes(value.dtype))) ||
      typeIssue(ctx, path, expected, value),
    decode: (value) => cloneTensor(value) as T,
    // stateDict() shares tensor memory, as torch does; savers snapshot what they need.
    encode: same,
  };
}

export function map<K, V, EK, EV>(key: Codec<K, EK>, value: Codec<V, EV>): Codec<Map<K, V>, [EK, EV][]> {
  const expected = `[${key.expected}, ${value.expected}][] (Map entries)`;
  return {
    expected,
    check(input, path, ctx): input is [EK, EV][] {
      if (!isMapEntries(input)) return typeIssue(ctx, path, expected, input);
      let ok = true;
      for (let i = 0; i < input.length; i++) {
        const at = joinIndex(path, i);
        ok = key.check(input[i]![0], joinIndex(at, 0), ctx) && ok;
        ok = value.check(input[i]![1], joinIndex(at, 1), ctx) && ok;
      }
      return ok;
    },
    decode: (input) =>
      decodeMap(
        input,
        (k) => key.decode(k),
        (v) => value.decode(v),
      ),
    encode: (input) =>
      encodeMap(
        input,
        (k) => key.encode(k),
        (v) => value.encode(v),
      ),
  };
}

export function set<T, S>(element: Codec<T, S>): Codec<Set<T>, S[]> {
  const expected = `${element.expected}[] (Set items)`;
  return {
    expected,
    check(value, path, ctx): value is S[] {
      if (!Array.isArray(value)) return typeIssue(ctx, path, expected, value);
      let ok = true;
      for (let i = 0; i < value.length; i++) ok = element.check(value[i], joinIndex(path, i), ctx) && ok;
      return ok;
    },
    decode: (value) => decodeSet(value, (v) => element.decode(v)),
    encode: (value) => encodeSet(value, (v) => element.encode(v)),
  };
}

/**
 * Unchecked plain state data (`@persist({ opaque: true })`): anything `copyPlain` accepts. Saved as a copy sharing
 * tensors (as `stateDict()` does everywhere); loaded as a deep copy, tensors included, so a loaded component never
 * shares memory with the state it came from.
 */
export const opaque: Codec<unknown> = {
  expected: 'plain state data',
  check(value, path, ctx): value is unknown {
    try {
      copyPlain(value);
      return true;
    } catch {
      return typeIssue(ctx, path, opaque.expected, value);
    }
  },
  decode: clonePlain,
  encode: copyPlain,
};

/** A class instance converted with class-transformer (`@persist({ type: () => C })`). */
export function instance<T extends object>(ctor: () => new (...args: never[]) => T, name: string): Codec<T, Record<string, unknown>> {
  const expected = `object (a ${name})`;
  return {
    expected,
    check: (value, path, ctx): value is Record<string, unknown> =>
      isPlainObject(value) || typeIssue(ctx, path, expected, value),
    decode: (value) => plainToInstance(ctor() as unknown as ClassConstructor<T>, value),
    encode: (value) => instanceToPlain(value),
  };
}

/**
 * Gives a codec built from the combinators above its precise field and state types (the combinators' own types are
 * structural: an object codec is a `Record<string, unknown>` codec). The generator writes both types from the same
 * static type it built the codec from, so the assertion holds by construction.
 */
export function typed<F, S = F>(codec: Codec<unknown, unknown>): Codec<F, S> {
  return codec as Codec<F, S>;
}
