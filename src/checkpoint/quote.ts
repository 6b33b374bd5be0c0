/**
 * Names and values from a file are untrusted: they go into error messages (and from there into terminals and logs)
 * quoted, with control characters escaped, and cut to a readable length with their full length stated.
 */

/** Longest excerpt of an untrusted string in a message, in UTF-16 code units. */
export const MAX_QUOTED_LENGTH = 120;

/**
 * `"name"` with JSON escapes for control characters (C0, DEL, C1), line and paragraph separators and bidirectional
 * controls (which could reorder what a terminal shows), cut after `max` characters: `"aaaa…" (1000000 characters)`.
 */
export function quoteName(text: string, max = MAX_QUOTED_LENGTH): string {
  const cut = text.length > max;
  const shown = cut ? text.slice(0, max) : text;
  const quoted = JSON.stringify(shown).replace(
    /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return cut ? `${quoted.slice(0, -1)}…" (${text.length} characters)` : quoted;
}

/** An untrusted JSON value in a message: strings as {@link quoteName}, anything else as cut JSON text. */
export function quoteValue(value: unknown, max = MAX_QUOTED_LENGTH): string {
  if (typeof value === 'string') return quoteName(value, max);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

/** Like {@link quoteName} without the quotes, for paths and other text that is already readable as it is. */
export function printable(text: string, max = MAX_QUOTED_LENGTH * 2): string {
  const quoted = quoteName(text, max);
  if (text.length <= max) return quoted.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  const end = quoted.lastIndexOf('…"');
  return `${quoted.slice(1, end).replace(/\\"/g, '"').replace(/\\\\/g, '\\')}…${quoted.slice(end + 2)}`;
}
