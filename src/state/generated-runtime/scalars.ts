/** Codecs of primitives, literals and the scalar encodings of the state contract (Date, bigint). */
import { decodeBigint, decodeDate, encodeBigint, encodeDate, isBigintString, isEpochMillis } from '../values.js';
import { type Codec, primitive, scalar, typeIssue } from './codec.js';

export const number: Codec<number> = primitive('number', (v) => typeof v === 'number');
export const string: Codec<string> = primitive('string', (v) => typeof v === 'string');
export const boolean: Codec<boolean> = primitive('boolean', (v) => typeof v === 'boolean');
export const nullValue: Codec<null> = primitive('null', (v) => v === null);

/** `bigint` ⇄ its decimal string. */
export const bigint: Codec<bigint, string> = scalar('bigint (a decimal string)', isBigintString, decodeBigint, encodeBigint, true);

/** `Date` ⇄ epoch milliseconds. */
export const date: Codec<Date, number> = scalar('number (a Date as epoch milliseconds)', isEpochMillis, decodeDate, encodeDate, true);

function literalText(value: string | number | boolean): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** One of the given literal values (literal unions, enums). `name` labels an enum in messages. */
export function literal<T extends string | number | boolean>(values: readonly T[], name?: string): Codec<T> {
  const list = values.map(literalText).join(' | ');
  const expected = name ? `${name} (${list})` : list;
  const only = values.length === 1 ? values[0] : undefined;
  const is = only !== undefined ? (v: unknown) => v === only : (v: unknown) => values.includes(v as T);
  return {
    ...primitive<T>(expected, is),
    // A value of the right kind but not one of the literals is named, so the message shows what to fix:
    // `EarlyStopping.mode: expected "max" | "min", got "sideways"`.
    check(value, path, ctx): value is T {
      if (is(value)) return true;
      const shown = isLiteralKind(value) ? literalText(value) : undefined;
      if (shown === undefined || shown.length > MAX_SHOWN) return typeIssue(ctx, path, expected, value);
      ctx.issues.push({ path, kind: 'type', expected, actual: shown });
      return false;
    },
  };
}

const MAX_SHOWN = 60;

function isLiteralKind(value: unknown): value is string | number | boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean';
}
