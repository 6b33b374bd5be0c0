import { describeValue, joinIndex, joinKey } from '../errors.js';
import { fillTensor } from '../load-plan.js';
import { prepareInert } from '../read-state.js';
import { cloneTensor, isTensor, sameShape, tensorSignature } from '../tensor.js';
import { decodeBigint, decodeDate, isBigintString, isEpochMillis, isMapEntries, isPlainObject, setOwn } from '../values.js';
import { type AnyValueKind, INVALID } from '../value-kinds.js';
import { className, describeExpected, kindOf, type ValueKind } from './kinds.js';
import type { Build, LoadContext } from './load-context.js';
import { planStateData } from './state-data.js';

const ABSENT: ValueKind = { kind: 'absent' };
const nothing: Build = () => undefined;

/**
 * Validates `incoming` against `expected` (the kind of the value currently at the same place) and plans its
 * assignment. `inPlace` says whether `expected` is the value really at this place, whose tensors may be filled and
 * whose stateful objects may be loaded in place, or only a template borrowed from a sibling element.
 */
export function planValue(expected: ValueKind, incoming: unknown, path: string, ctx: LoadContext, inPlace: boolean): Build {
  if (expected.kind === 'absent') return planStateData(incoming, path, ctx);
  // The runtime cannot tell `number | null` from `number`: null is accepted in place of anything but a stateful object.
  if (incoming === null && expected.kind !== 'stateful' && expected.kind !== 'valueKind') return () => null;
  switch (expected.kind) {
    case 'number':
    case 'string':
    case 'boolean':
      if (typeof incoming !== expected.kind) return mismatch(expected, incoming, path, ctx);
      return () => incoming;
    case 'bigint':
      if (!isBigintString(incoming)) return mismatch(expected, incoming, path, ctx, quoted(incoming));
      return () => decodeBigint(incoming);
    case 'date':
      if (!isEpochMillis(incoming)) return mismatch(expected, incoming, path, ctx);
      return () => decodeDate(incoming);
    case 'tensor': {
      if (!isTensor(incoming) || incoming.dtype !== expected.value.dtype) return mismatch(expected, incoming, path, ctx);
      const target = expected.value;
      if (!inPlace) return () => cloneTensor(incoming);
      if (sameShape(target.shape, incoming.shape)) {
        return () => {
          fillTensor(target, incoming);
          return target;
        };
      }
      if (ctx.resizable) return () => cloneTensor(incoming);
      ctx.typeIssue(path, tensorSignature(target), tensorSignature(incoming));
      return nothing;
    }
    case 'stateful':
      return planStateful(expected.value, incoming, path, ctx, inPlace);
    case 'valueKind':
      return planKind(expected.valueKind, incoming, inPlace ? expected.value : undefined, path, ctx);
    case 'map':
      return planMap(expected.value, incoming, path, ctx, inPlace);
    case 'set':
      return planSet(expected.value, incoming, path, ctx);
    case 'array':
      return planArray(expected.value, incoming, path, ctx, inPlace);
    case 'object':
      return planObject(expected.value, incoming, path, ctx, inPlace);
    case 'unsupported':
      ctx.typeIssue(
        path,
        `a loadable value (the current ${describeValue(expected.value)} cannot be loaded: make its class @stateful() or use @persist({ type }))`,
        describeValue(incoming),
      );
      return nothing;
  }
}

function mismatch(expected: ValueKind, incoming: unknown, path: string, ctx: LoadContext, actual = describeValue(incoming)): Build {
  ctx.typeIssue(path, describeExpected(expected), actual);
  return nothing;
}

function quoted(value: unknown): string {
  if (typeof value !== 'string') return describeValue(value);
  return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
}

/** A value of a registered kind (or a `@persist({ codec })` field): validated by its kind, committed by it. */
export function planKind(kind: AnyValueKind, incoming: unknown, current: unknown, path: string, ctx: LoadContext): Build {
  const live = typeof current === 'object' && current !== null && kind.isValue(current) ? current : undefined;
  const before = ctx.issues.length;
  const validated = kind.validate(incoming, live, path, (issue) => {
    ctx.issues.push(issue);
  });
  if (validated === INVALID) {
    if (ctx.issues.length === before) ctx.typeIssue(path, kind.expected, describeValue(incoming));
    return nothing;
  }
  return () => kind.commit(validated, live);
}

function planStateful(target: object, incoming: unknown, path: string, ctx: LoadContext, inPlace: boolean): Build {
  if (!inPlace) {
    // A load fills existing objects; it has no way to construct a new one (constructors take arguments).
    ctx.typeIssue(path, `nothing here (a new ${className(target)} cannot be created by a load)`, describeValue(incoming));
    return nothing;
  }
  const nested = prepareInert(target, incoming, path, ctx.options);
  ctx.absorb(nested);
  return () => {
    nested.commit();
    return target;
  };
}

function firstKind(values: Iterable<unknown>): ValueKind {
  for (const v of values) return kindOf(v);
  return ABSENT;
}

function planArray(current: readonly unknown[], incoming: unknown, path: string, ctx: LoadContext, inPlace: boolean): Build {
  if (!Array.isArray(incoming)) return mismatch({ kind: 'array', value: current }, incoming, path, ctx);
  // Elements beyond the current length are checked against the first element, as a template of the element kind.
  const template = current.length > 0 ? kindOf(current[0]) : ABSENT;
  // Primitives that match are taken as they are, without a build each: long number arrays are common state.
  const builds: (Build | undefined)[] = new Array<Build | undefined>(incoming.length);
  for (let i = 0; i < incoming.length; i++) {
    const item: unknown = incoming[i];
    const expected = i < current.length ? kindOf(current[i]) : template;
    if (takenAsIs(expected, item)) continue;
    builds[i] = planValue(expected, item, joinIndex(path, i), ctx, inPlace && i < current.length);
  }
  return () => {
    const out = new Array<unknown>(incoming.length);
    for (let i = 0; i < incoming.length; i++) {
      const build = builds[i];
      out[i] = build ? build() : incoming[i];
    }
    return out;
  };
}

/**
 * Whether `planValue` would accept `item` and assign it unchanged (a primitive of the expected kind, or anything
 * primitive where nothing is expected): containers skip planning such elements one by one.
 */
function takenAsIs(expected: ValueKind, item: unknown): boolean {
  if (item === null) return expected.kind !== 'stateful';
  const t = typeof item;
  if (t !== 'number' && t !== 'string' && t !== 'boolean') return false;
  return expected.kind === 'absent' || expected.kind === t;
}

function planObject(current: Record<string, unknown>, incoming: unknown, path: string, ctx: LoadContext, inPlace: boolean): Build {
  if (!isPlainObject(incoming) || isTensor(incoming)) {
    return mismatch({ kind: 'object', value: current }, incoming, path, ctx);
  }
  // Records and interfaces look alike at run time: keys the current object lacks take any state data, and keys the
  // incoming object lacks are dropped (the object is replaced by the loaded one).
  const builds: [string, Build | undefined][] = [];
  for (const key of Object.keys(incoming)) {
    const item = incoming[key];
    if (item === undefined) continue;
    const here = Object.prototype.hasOwnProperty.call(current, key) ? kindOf(current[key]) : ABSENT;
    builds.push([key, takenAsIs(here, item) ? undefined : planValue(here, item, joinKey(path, key), ctx, inPlace)]);
  }
  // A live tensor (or value of a kind) the state lacks is a missing key, as in a generated record of tensors; a
  // non-strict load keeps it. Other absent keys are dropped with the object they belonged to.
  if (inPlace && !ctx.resizable) {
    for (const key of Object.keys(current)) {
      const live = current[key];
      if (Object.prototype.hasOwnProperty.call(incoming, key) && incoming[key] !== undefined) continue;
      if (!holdsLiveValues(live)) continue;
      ctx.missing(joinKey(path, key), describeExpected(kindOf(live)));
      builds.push([key, () => live]);
    }
  }
  return () => {
    const out: Record<string, unknown> = {};
    for (const [key, build] of builds) setOwn(out, key, build ? build() : incoming[key]);
    return out;
  };
}

/**
 * Whether a live value is, or holds, tensors or values of a kind (which a load pairs with saved ones): its absence from
 * a state is then a missing key. Looks a few levels down, as far as optimizer-like state nests.
 */
function holdsLiveValues(value: unknown, depth = 0): boolean {
  const kind = kindOf(value);
  switch (kind.kind) {
    case 'tensor':
    case 'valueKind':
      return true;
    case 'array':
      return depth < 4 && kind.value.some((v) => holdsLiveValues(v, depth + 1));
    case 'object':
      return depth < 4 && Object.values(kind.value).some((v) => holdsLiveValues(v, depth + 1));
    case 'map':
      return depth < 4 && [...kind.value.values()].some((v) => holdsLiveValues(v, depth + 1));
    default:
      return false;
  }
}

function planMap(current: ReadonlyMap<unknown, unknown>, incoming: unknown, path: string, ctx: LoadContext, inPlace: boolean): Build {
  if (!isMapEntries(incoming)) return mismatch({ kind: 'map', value: current }, incoming, path, ctx);
  const keyTemplate = firstKind(current.keys());
  const valueTemplate = firstKind(current.values());
  const builds: [Build, Build][] = [];
  incoming.forEach(([key, value], i) => {
    const at = joinIndex(path, i);
    const before = ctx.issues.length;
    const keyBuild = planValue(keyTemplate, key, joinIndex(at, 0), ctx, false);
    let valueKind = valueTemplate;
    let valueInPlace = false;
    if (ctx.issues.length === before) {
      // Key builds never fill anything in place, so decoding the key now changes nothing.
      const decoded = keyBuild();
      if (current.has(decoded)) {
        valueKind = kindOf(current.get(decoded));
        valueInPlace = inPlace;
      }
    }
    builds.push([keyBuild, planValue(valueKind, value, joinIndex(at, 1), ctx, valueInPlace)]);
  });
  if (inPlace && !ctx.resizable) {
    const given = new Set<unknown>();
    for (const [k] of builds) given.add(k());
    for (const [key, live] of current) {
      if (given.has(key) || !holdsLiveValues(live)) continue;
      ctx.missing(`${path}.get(${typeof key === 'string' ? JSON.stringify(key) : String(key)})`, describeExpected(kindOf(live)));
      builds.push([() => key, () => live]);
    }
  }
  return () => new Map(builds.map(([k, v]) => [k(), v()]));
}

function planSet(current: ReadonlySet<unknown>, incoming: unknown, path: string, ctx: LoadContext): Build {
  if (!Array.isArray(incoming)) return mismatch({ kind: 'set', value: current }, incoming, path, ctx);
  const template = firstKind(current);
  const builds = incoming.map((item: unknown, i) => planValue(template, item, joinIndex(path, i), ctx, false));
  return () => new Set(builds.map((build) => build()));
}
