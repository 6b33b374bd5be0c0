import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

/**
 * Asserts two states are equal bit for bit: same keys (an absent key differs from an undefined one), same prototypes,
 * NaN equal to NaN, -0 different from 0, typed arrays compared by content. node's isDeepStrictEqual decides, because
 * vitest's toStrictEqual compares `.constructor`, which states with an own "constructor" key (a valid record key)
 * break; toStrictEqual is then only used to print a readable diff.
 */
export function expectSameState(actual: unknown, expected: unknown): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual).toStrictEqual(expected);
  expect.fail(`states differ:\n${JSON.stringify(actual, replacer)}\n${JSON.stringify(expected, replacer)}`);
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${Array.from(value as unknown as ArrayLike<unknown>, String).join(',')})`;
  return value;
}
