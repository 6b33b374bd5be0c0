/**
 * Names and values from a file are untrusted: they go into error messages (and from there into terminals and logs)
 * quoted, with control characters escaped, and cut to a readable length with their full length stated.
 */

/** Longest excerpt of an untrusted string in a message, in UTF-16 code units. */
export const MAX_QUOTED_LENGTH = 120;

/**
 * JSON text with the characters JSON.stringify leaves raw but a terminal acts on (DEL, C1 controls, line and paragraph
 * separators, bidirectional controls) written as `\u` escapes: the same JSON value, safe to print.
 */
export function escapeRawFormatting(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `"name"` with JSON escapes for control characters (C0, DEL, C1), line and paragraph separators and bidirectional
 * controls (which could reorder what a terminal shows), cut after `max` characters: `"aaaa…" (1000000 characters)`.
 */
export function quoteName(text: string, max = MAX_QUOTED_LENGTH): string {
  const cut = text.length > max;
  const shown = cut ? text.slice(0, max) : text;
  const quoted = escapeRawFormatting(JSON.stringify(shown));
  return cut ? `${quoted.slice(0, -1)}…" (${text.length} characters)` : quoted;
}

/** An untrusted JSON value in a message: strings as {@link quoteName}, anything else as cut JSON text. */
export function quoteValue(value: unknown, max = MAX_QUOTED_LENGTH): string {
  if (typeof value === 'string') return quoteName(value, max);
  const text = escapeRawFormatting(JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/**
 * Like {@link quoteName} without the quotes, for paths and other text that is already readable as it is: only
 * control and formatting characters are escaped (`a\u001bb`, `line\nbreak`); quotes and backslashes stay as they are.
 */
export function printable(text: string, max = MAX_QUOTED_LENGTH * 2): string {
  const quoted = quoteName(text, max);
  const cut = text.length > max;
  const end = cut ? quoted.lastIndexOf('…"') : quoted.length - 1;
  const inner = quoted.slice(1, end).replace(/\\(["\\])/g, '$1');
  return cut ? `${inner}…${quoted.slice(end + 2)}` : inner;
}
