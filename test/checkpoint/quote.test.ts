/** Untrusted names in messages: quoted, control and formatting characters escaped, long ones cut with their length. */
import { describe, expect, it } from 'vitest';
import { printable, quoteName, quoteValue } from '../../src/checkpoint/quote.js';

const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('quoteName', () => {
  it('escapes C0, DEL, C1, line separators and bidi controls, and nothing else', () => {
    const all = Array.from({ length: 0x2070 }, (_, i) => String.fromCharCode(i)).join('');
    const quoted = quoteName(all, all.length);
    expect(quoted).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(quoted)).toBe(all);
    expect(quoteName('plain é 🔥 "q"')).toBe('"plain é 🔥 \\"q\\""');
  });

  it('cuts long text and says how long it was', () => {
    expect(quoteName('x'.repeat(1_000_000))).toBe(`"${'x'.repeat(120)}…" (1000000 characters)`);
    expect(quoteName('x'.repeat(120))).toBe(`"${'x'.repeat(120)}"`);
  });

  it('renders other values as cut JSON', () => {
    expect(quoteValue([1, 2])).toBe('[1,2]');
    expect(quoteValue(Array(100).fill(12345))).toMatch(/… \(601 characters\)$/);
    expect(quoteValue(['\u009b'])).toBe('["\\u009b"]');
  });
});

describe('printable', () => {
  it('escapes control characters but leaves quotes and backslashes as they are', () => {
    expect(printable('a"b\\c\u001b[2J\nd\u202e')).toBe('a"b\\c\\u001b[2J\\nd\\u202e');
  });

  it('cuts long text with its length', () => {
    expect(printable('y'.repeat(5000), 10)).toBe(`${'y'.repeat(10)}… (5000 characters)`);
  });
});
