import { constructorName } from '../errors.js';
import { isStateful } from '../stateful.js';
import { isTensor, type Tensor } from '../tensor.js';
import { type AnyValueKind, hasValueKinds, valueKindOf } from '../value-kinds.js';
import { isPlainObject } from '../values.js';

/**
 * The kind of a value as the reflective engine sees it. The engine cannot see static types, so the kind of a field's
 * current value is what a loaded value is checked against (docs/design/state-contract.md, "Reflective").
 */
export type ValueKind =
  | { readonly kind: 'absent' }
  | { readonly kind: 'number' | 'string' | 'boolean' | 'bigint' | 'date' }
  | { readonly kind: 'tensor'; readonly value: Tensor }
  | { readonly kind: 'stateful'; readonly value: object }
  | { readonly kind: 'valueKind'; readonly value: object; readonly valueKind: AnyValueKind }
  | { readonly kind: 'map'; readonly value: ReadonlyMap<unknown, unknown> }
  | { readonly kind: 'set'; readonly value: ReadonlySet<unknown> }
  | { readonly kind: 'array'; readonly value: readonly unknown[] }
  | { readonly kind: 'object'; readonly value: Record<string, unknown> }
  | { readonly kind: 'unsupported'; readonly value: unknown };

// Shared kinds for values without parts: state arrays can hold millions of numbers.
const ABSENT: ValueKind = { kind: 'absent' };
const PRIMITIVE_KINDS: Readonly<Record<string, ValueKind>> = {
  number: { kind: 'number' },
  string: { kind: 'string' },
  boolean: { kind: 'boolean' },
  bigint: { kind: 'bigint' },
};

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return ABSENT;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
      return PRIMITIVE_KINDS[typeof value]!;
    case 'object':
      break;
    default:
      return { kind: 'unsupported', value };
  }
  // Registered kinds first (their classes decide what they are); tensors are plain objects and stateful objects may be
  // too, so both are recognised before plain objects.
  if (hasValueKinds()) {
    const valueKind = valueKindOf(value);
    if (valueKind !== undefined) return { kind: 'valueKind', value, valueKind };
  }
  if (isTensor(value)) return { kind: 'tensor', value };
  if (isStateful(value)) return { kind: 'stateful', value };
  if (value instanceof Date) return { kind: 'date' };
  if (value instanceof Map) return { kind: 'map', value };
  if (value instanceof Set) return { kind: 'set', value };
  if (Array.isArray(value)) return { kind: 'array', value };
  if (isPlainObject(value)) return { kind: 'object', value };
  return { kind: 'unsupported', value };
}

/**
 * The kind implied by a `design:type` constructor, for fields whose current value is null or undefined. Only the
 * constructors the compiler emits for exactly one runtime kind are used; `Object` (unions, interfaces, aliases) and
 * anything else say nothing.
 */
export function kindOfDesignType(designType: unknown): ValueKind {
  switch (designType) {
    case Number:
      return { kind: 'number' };
    case String:
      return { kind: 'string' };
    case Boolean:
      return { kind: 'boolean' };
    case BigInt:
      return { kind: 'bigint' };
    case Date:
      return { kind: 'date' };
    case Map:
      return { kind: 'map', value: new Map() };
    case Set:
      return { kind: 'set', value: new Set() };
    case Array:
      return { kind: 'array', value: [] };
    default:
      return { kind: 'absent' };
  }
}

/** What a value of this kind is stored as, for `expected …` in messages. */
export function describeExpected(kind: ValueKind): string {
  switch (kind.kind) {
    case 'absent':
      return 'a state value';
    case 'number':
    case 'string':
    case 'boolean':
      return kind.kind;
    case 'bigint':
      return 'bigint (a decimal integer string)';
    case 'date':
      return 'Date (epoch milliseconds as a number)';
    case 'tensor':
      return `Tensor<${kind.value.dtype}>`;
    case 'stateful':
      return `the state of ${className(kind.value)}`;
    case 'valueKind':
      return kind.valueKind.expected;
    case 'map':
      return 'Map (an array of [key, value] pairs)';
    case 'set':
      return 'Set (an array)';
    case 'array':
      return 'array';
    case 'object':
      return 'object';
    case 'unsupported':
      return 'a state value';
  }
}

export function className(value: unknown): string {
  return constructorName(value) ?? typeof value;
}

/** The hint a StateError carries when a value of an unsupported kind is met. */
export const UNSUPPORTED_HINT =
  'A state holds numbers, strings, booleans, null, arrays, plain objects, Tensors, Map, Set, Date, bigint and ' +
  '@stateful objects. For another class, make it @stateful() or give its field @persist({ type: () => TheClass }).';
