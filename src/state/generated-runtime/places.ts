/**
 * Placers: how generated code loads the parts of a field whose load depends on the live value it replaces. A tensor
 * is filled in place when dtype and shape match, a value of a registered kind is committed by its kind, and arrays,
 * tuples, records, Maps and nullable values holding them pair each saved part with the live part at the same index
 * or key. Parts without such values are plain codecs (`placeValue`).
 *
 * `prepare` validates (reading the saved value once) and returns the commit, which only applies what was validated:
 * it never reads the saved value again. Nothing is copied during validation; tensor copies are queued by
 * `fillTensor` and applied at the end of the load's commit.
 */
import { describeValue, joinIndex, joinKey, type StateIssue } from '../errors.js';
import { fillTensor } from '../load-plan.js';
import { cloneTensor, isTensor, sameShape, type Tensor, tensorSignature } from '../tensor.js';
import { type AnyValueKind, INVALID, type Invalid, valueKindNamed } from '../value-kinds.js';
import { isMapEntries, isPlainObject, setOwn } from '../values.js';
import { type CheckContext, type Codec, typeIssue } from './codec.js';

/** Where a placer records what it finds. */
export interface PlaceContext extends CheckContext {
  /** A key the live record or Map holds and the state lacks: strict, an issue; non-strict, listed (the entry stays). */
  missing(path: string, expected: string): void;
}

/** Applies a validated part and returns the value the field (or element) holds afterwards. */
export type Apply<T> = () => T;

export interface Placer<T, S = T> {
  /** What a valid saved value looks like, for messages. */
  readonly expected: string;
  /** Validates `value` against `current` (the live value at this place, undefined when none); INVALID after reporting. */
  prepare(value: unknown, current: unknown, path: string, ctx: PlaceContext): Apply<T> | Invalid;
  /** The saved form of a field value (tensors are shared, as `stateDict()` shares them). */
  encode(value: T): S;
}

function own(record: unknown, key: string): unknown {
  return isPlainObject(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * A tensor of one of `dtypes` (any when empty). It loads into the live tensor when dtype and shape match; a shape that
 * differs is an issue naming both (`expected float32[3], got float32[4]`) unless the field is `resizable`, which
 * replaces the tensor with a copy. Where no tensor lives yet, the loaded one is a copy.
 */
export function placeTensor(dtypes: readonly string[] = [], resizable = false): Placer<Tensor> {
  const expected = dtypes.length === 0 ? 'Tensor' : dtypes.map((d) => `Tensor<${d}>`).join(' | ');
  return {
    expected,
    prepare(value, current, path, ctx) {
      if (!isTensor(value) || (dtypes.length > 0 && !dtypes.includes(value.dtype))) return (typeIssue(ctx, path, expected, value), INVALID);
      if (!isTensor(current)) return () => cloneTensor(value);
      if (current.dtype === value.dtype && sameShape(current.shape, value.shape)) {
        return () => {
          fillTensor(current, value);
          return current;
        };
      }
      if (resizable) return () => cloneTensor(value);
      ctx.issues.push({ path, kind: 'type', expected: tensorSignature(current), actual: tensorSignature(value) });
      return INVALID;
    },
    encode: (value) => value,
  };
}

function checkedKind(kind: AnyValueKind): Placer<object, unknown> {
  return {
    expected: kind.expected,
    prepare(value, current, path, ctx) {
      const live = typeof current === 'object' && current !== null && kind.isValue(current) ? current : undefined;
      const before = ctx.issues.length;
      const report = (issue: StateIssue) => {
        ctx.issues.push(issue);
      };
      const validated = kind.validate(value, live, path, report);
      if (validated === INVALID) {
        if (ctx.issues.length === before) typeIssue(ctx, path, kind.expected, value);
        return INVALID;
      }
      return () => kind.commit(validated, live);
    },
    encode(value) {
      if (!kind.isValue(value)) throw new TypeError(`expected ${kind.expected} (value kind '${kind.name}'), got ${describeValue(value)}`);
      return kind.save(value);
    },
  };
}

/** A field value of the registered kind `name`, looked up at first use (a clear error when it was never registered). */
export function placeKind(name: string): Placer<object, unknown> {
  let placer: Placer<object, unknown> | undefined;
  const resolve = () => (placer ??= checkedKind(valueKindNamed(name)));
  return {
    get expected() {
      return registeredExpected(name);
    },
    prepare: (value, current, path, ctx) => resolve().prepare(value, current, path, ctx),
    encode: (value) => resolve().encode(value),
  };
}

function registeredExpected(name: string): string {
  try {
    return valueKindNamed(name).expected;
  } catch {
    return `a value of kind '${name}'`;
  }
}

/** A field with its own kind object: `@persist({ codec })`. */
export function placeCodec(kind: AnyValueKind): Placer<object, unknown> {
  return checkedKind(kind);
}

/** A part without tensors or kinds: validated by its codec and decoded now (a copy), assigned at commit. */
export function placeValue<T, S>(codec: Codec<T, S>): Placer<T, S> {
  return {
    expected: codec.expected,
    prepare(value, _current, path, ctx) {
      if (!codec.is(value) && !codec.check(value, path, ctx)) return INVALID;
      const decoded = codec.identity ? (value as T) : codec.decode(value as S);
      return () => decoded;
    },
    encode: (value) => (codec.identity ? (value as unknown as S) : codec.encode(value)),
  };
}

/** `T | null`. */
export function placeNullable<T, S>(inner: Placer<T, S>): Placer<T | null, S | null> {
  return {
    expected: `${inner.expected} | null`,
    prepare: (value, current, path, ctx) => (value === null ? () => null : inner.prepare(value, current, path, ctx)),
    encode: (value) => (value === null ? null : inner.encode(value)),
  };
}

function applyAll<T>(applies: readonly Apply<T>[]): T[] {
  const out = new Array<T>(applies.length);
  for (let i = 0; i < applies.length; i++) out[i] = applies[i]!();
  return out;
}

/**
 * An array: element `i` is loaded against the live element `i`. The saved array decides the length (elements beyond
 * the live ones are created, live ones beyond the saved ones dropped), as for any array value.
 */
export function placeArray<T, S>(element: Placer<T, S>): Placer<T[], S[]> {
  const expected = `${element.expected}[]`;
  return {
    expected,
    prepare(value, current, path, ctx) {
      if (!Array.isArray(value)) return (typeIssue(ctx, path, expected, value), INVALID);
      const live = Array.isArray(current) ? (current as unknown[]) : undefined;
      const applies: Apply<T>[] = new Array<Apply<T>>(value.length);
      let ok = true;
      for (let i = 0; i < value.length; i++) {
        const apply = element.prepare(value[i], live?.[i], joinIndex(path, i), ctx);
        if (apply === INVALID) ok = false;
        else applies[i] = apply;
      }
      return ok ? () => applyAll(applies) : INVALID;
    },
    encode: (value) => value.map((v) => element.encode(v)),
  };
}

/** A tuple; elements from `required` on may be absent. */
export function placeTuple(elements: readonly Placer<unknown, unknown>[], required: number = elements.length): Placer<unknown[], unknown[]> {
  const expected = `[${elements.map((e, i) => (i < required ? e.expected : `${e.expected}?`)).join(', ')}]`;
  return {
    expected,
    prepare(value, current, path, ctx) {
      if (!Array.isArray(value)) return (typeIssue(ctx, path, expected, value), INVALID);
      if (value.length < required || value.length > elements.length) return (typeIssue(ctx, path, `${expected} (${required}–${elements.length} elements)`, value), INVALID);
      const live = Array.isArray(current) ? (current as unknown[]) : undefined;
      const applies: Apply<unknown>[] = [];
      let ok = true;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (i >= required && item === undefined) {
          applies.push(() => undefined);
          continue;
        }
        const apply = elements[i]!.prepare(item, live?.[i], joinIndex(path, i), ctx);
        if (apply === INVALID) ok = false;
        else applies.push(apply);
      }
      return ok ? () => applyAll(applies) : INVALID;
    },
    encode: (value) => value.map((v, i) => (v === undefined ? v : elements[i]!.encode(v))),
  };
}

export interface PropertyPlacer {
  readonly key: string;
  readonly placer: Placer<unknown, unknown>;
  readonly optional?: boolean;
}

/**
 * A plain object with known properties and/or a string index signature (`Record<string, { expAvg: Tensor }>`).
 * Entries of the index the state has and the live record lacks are created; entries the live record has and the state
 * lacks follow the strict/non-strict rules (non-strict: the entry keeps its live value). Known properties are part of
 * the type: a missing one is an issue either way. A `resizable` field takes the saved entries only (the live ones the
 * state lacks are dropped), as it takes saved shapes.
 */
export function placeObject(
  properties: readonly PropertyPlacer[],
  index?: Placer<unknown, unknown>,
  resizable = false,
): Placer<Record<string, unknown>> {
  const known = new Set(properties.map((p) => p.key));
  const expected = properties.length === 0 && index ? `Record<string, ${index.expected}>` : 'object';
  return {
    expected,
    prepare(value, current, path, ctx) {
      if (!isPlainObject(value) || isTensor(value)) return (typeIssue(ctx, path, expected, value), INVALID);
      const entries: [string, Apply<unknown>][] = [];
      let ok = true;
      for (const p of properties) {
        const v = Object.hasOwn(value, p.key) ? value[p.key] : undefined;
        const at = joinKey(path, p.key);
        if (v === undefined) {
          if (!p.optional) {
            ctx.issues.push({ path: at, kind: 'missing', expected: p.placer.expected, actual: 'nothing' });
            ok = false;
          }
          continue;
        }
        const apply = p.placer.prepare(v, own(current, p.key), at, ctx);
        if (apply === INVALID) ok = false;
        else entries.push([p.key, apply]);
      }
      for (const key of Object.keys(value)) {
        if (known.has(key)) continue;
        const at = joinKey(path, key);
        if (index === undefined) {
          if (ctx.strict) {
            ctx.issues.push({ path: at, kind: 'unexpected', expected: '', actual: describeValue(value[key]) });
            ok = false;
          } else ctx.unexpectedKeys.push(at);
          continue;
        }
        const apply = index.prepare(value[key], own(current, key), at, ctx);
        if (apply === INVALID) ok = false;
        else entries.push([key, apply]);
      }
      if (index !== undefined && !resizable && isPlainObject(current)) {
        for (const key of Object.keys(current)) {
          if (known.has(key) || Object.hasOwn(value, key) || current[key] === undefined) continue;
          ctx.missing(joinKey(path, key), index.expected);
          const kept = current[key];
          entries.push([key, () => kept]);
        }
      }
      if (!ok) return INVALID;
      return () => {
        const out: Record<string, unknown> = {};
        for (const [key, apply] of entries) setOwn(out, key, apply());
        return out;
      };
    },
    encode(value) {
      const out: Record<string, unknown> = {};
      for (const p of properties) {
        const v = Object.hasOwn(value, p.key) ? value[p.key] : undefined;
        if (v !== undefined) setOwn(out, p.key, p.placer.encode(v));
      }
      if (index) for (const key of Object.keys(value)) if (!known.has(key) && value[key] !== undefined) setOwn(out, key, index.encode(value[key]));
      return out;
    },
  };
}

/**
 * `Map<K, V>`, saved as `[key, value][]` entries: each saved value is loaded against the live entry of the same key.
 * New keys are created; live keys the state lacks follow the strict/non-strict rules (`resizable`: they are dropped).
 */
export function placeMap<K, V, EK, EV>(key: Codec<K, EK>, value: Placer<V, EV>, resizable = false): Placer<Map<K, V>, [EK, EV][]> {
  const expected = `[${key.expected}, ${value.expected}][] (Map entries)`;
  return {
    expected,
    prepare(input, current, path, ctx) {
      if (!isMapEntries(input)) return (typeIssue(ctx, path, expected, input), INVALID);
      const live = current instanceof Map ? (current as Map<unknown, unknown>) : undefined;
      const seen = new Set<unknown>();
      const entries: [K, Apply<V>][] = [];
      let ok = true;
      input.forEach(([k, v], i) => {
        const at = joinIndex(path, i);
        if (!key.is(k) && !key.check(k, joinIndex(at, 0), ctx)) {
          ok = false;
          return;
        }
        const decoded = key.identity ? (k as K) : key.decode(k as EK);
        if (seen.has(decoded)) {
          typeIssue(ctx, joinIndex(at, 0), 'a key not used by an earlier entry', k);
          ok = false;
          return;
        }
        seen.add(decoded);
        const apply = value.prepare(v, live?.get(decoded), joinIndex(at, 1), ctx);
        if (apply === INVALID) ok = false;
        else entries.push([decoded, apply]);
      });
      if (live !== undefined && !resizable) {
        for (const [k, kept] of live) {
          if (seen.has(k)) continue;
          ctx.missing(`${path}.get(${JSON.stringify(k)})`, value.expected);
          entries.push([k as K, () => kept as V]);
        }
      }
      if (!ok) return INVALID;
      return () => {
        const out = new Map<K, V>();
        for (const [k, apply] of entries) out.set(k, apply());
        return out;
      };
    },
    encode(input) {
      const out: [EK, EV][] = [];
      for (const [k, v] of input) out.push([key.encode(k), value.encode(v)]);
      return out;
    },
  };
}

/** Gives a placer its precise field and state types (the generator writes both from the same static type). */
export function typedPlacer<F, S = F>(placer: Placer<unknown, unknown>): Placer<F, S> {
  return placer as Placer<F, S>;
}
