/**
 * What the CLI prints comes partly from the files it reads: tensor and section names, tree keys, string values, and
 * error messages that quote them. Every such piece goes through {@link shown} (control characters escaped, long text
 * cut with its length stated), and JSON output through {@link jsonSafe}, so no byte of a file reaches a terminal
 * as a control sequence.
 */
import { escapeRawFormatting, printable } from '../checkpoint/quote.js';

/** Longest name shown in a table cell or a message, in characters. */
export const MAX_SHOWN_NAME = 200;
/** Longest one-line message (an error naming a file and quoting what is wrong in it). */
export const MAX_SHOWN_MESSAGE = 1000;

/** A name or value from a file, made safe to print: `a\u001b[2Jb`, `aaaa…" (1000000 characters)`. */
export function shown(text: string, max = MAX_SHOWN_NAME): string {
  return printable(text, max);
}

/** JSON output with every character a terminal acts on escaped: the same JSON value, safe to print. */
export const jsonSafe = escapeRawFormatting;
