/**
 * Codecs: the small validators/converters generated code is assembled from. The generator turns each field's static
 * type into one codec expression (e.g. `nullable(number)`), built once at module load, so validating or encoding a
 * field is a single call and no type information is looked up at run time.
 *
 * `is` answers "valid?" without allocating (the fast path every load takes); only when it says no does `check` walk
 * the value again to build paths and record every problem. `is` is strict (an unexpected key anywhere makes it false),
 * so when it says yes there is nothing to record in either mode. `decode` turns a validated state value into a fresh field
 * value (copies, Map/Set/Date/bigint decoded); `encode` turns a field value into a fresh state value. `identity`
 * codecs (primitives and literals) need neither, and containers of them copy with a plain `slice`.
 */
import { describeValue, type StateIssue } from '../errors.js';
import { INVALID, type Invalid } from '../value-kinds.js';

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
  /** Decoding and encoding return the value itself (primitives and literals). */
  readonly identity: boolean;
  /** Whether `value` is valid (strictly: no unexpected keys anywhere). Allocation-free. */
  is(value: unknown): boolean;
  /** Validates deeply, recording every problem at its path; in non-strict loads unexpected keys are only listed. */
  check(value: unknown, path: string, ctx: CheckContext): value is S;
  decode(value: S): T;
  /**
   * `decode` for a value the load owns (the once-read copy of read-state.ts, which no one else holds): containers of
   * it are reused instead of copied a second time. Absent where decoding must build new values anyway.
   */
  // Set on every codec (undefined where absent), so that all codecs share one object shape: property reads on the
  // load's hot path stay monomorphic (codecs of mixed shapes made a load ~1.2× slower, measured). Bivariant, as
  // the method `decode` is.
  readonly adopt?: Bivariant<S, T> | undefined;
  /**
   * The fast path of a load: reads `value` once (every property and element exactly once, getters included) into a
   * fresh decoded value, or returns INVALID when it does not fit strictly. It may throw what a getter or Proxy throws.
   * A load whose fast path fails copies the value with read-state.ts and validates the copy with `check`, for the
   * paths of its issues (and for the unexpected keys a non-strict load lists). Absent when a part of the value has
   * none (tensors, unions, opaque data): the load then takes that slower path directly.
   */
  readonly take?: Bivariant<unknown, T | Invalid> | undefined;
  encode(value: T): S;
}

/** A function type checked as a method parameter is (bivariantly), so that a `Codec<number>` is a `Codec<unknown>`. */
type Bivariant<A, R> = { method(value: A): R }['method'];

/** Whether `codec` has a fast path ({@link Codec.take}): identity codecs check a primitive, which has no properties. */
export function canTake(codec: Codec<unknown, unknown>): boolean {
  return codec.identity || codec.take !== undefined;
}

/** {@link Codec.take} of a codec for which {@link canTake} holds. */
export function take<T, S>(codec: Codec<T, S>, value: unknown): T | Invalid {
  if (codec.identity) return codec.is(value) ? (value as T) : INVALID;
  return codec.take!(value);
}

/** Decodes `value`, reusing its containers where `codec` can adopt them (see {@link Codec.adopt}). */
export function adopt<T, S>(codec: Codec<T, S>, value: S): T {
  if (codec.identity) return value as unknown as T;
  return codec.adopt !== undefined ? codec.adopt(value) : codec.decode(value);
}

export function typeIssue(ctx: CheckContext, path: string, expected: string, value: unknown): false {
  ctx.issues.push({ path, kind: 'type', expected, actual: describeValue(value) });
  return false;
}

export function same<T>(value: T): T {
  return value;
}

export function primitive<T>(expected: string, is: (value: unknown) => boolean): Codec<T> {
  return {
    expected,
    identity: true,
    is,
    check: (value, path, ctx): value is T => is(value) || typeIssue(ctx, path, expected, value),
    decode: same,
    adopt: undefined,
    take: undefined,
    encode: same,
  };
}

/**
 * A codec whose saved form differs from its field form but is checked by one test (Date, bigint, …). `primitive`: its
 * saved form is a primitive, so the fast path of a load ({@link Codec.take}) checks and decodes it directly.
 */
export function scalar<T, S>(
  expected: string,
  is: (value: unknown) => boolean,
  decode: (s: S) => T,
  encode: (t: T) => S,
  primitive = false,
): Codec<T, S> {
  return {
    expected,
    identity: false,
    is,
    check: (value, path, ctx): value is S => is(value) || typeIssue(ctx, path, expected, value),
    decode,
    adopt: undefined,
    take: primitive ? (value) => (is(value) ? decode(value as S) : INVALID) : undefined,
    encode,
  };
}
