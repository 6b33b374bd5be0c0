import { jsonSafe } from './escape.js';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `1536` → `1.50 KiB`; exact byte counts under 1 KiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${UNITS[unit]}`;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** `1234567` → `1,234,567` (locale-independent, so output is the same on every machine). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `plural(1, 'tensor')` → `1 tensor`, `plural(3, 'tensor')` → `3 tensors` (counts with thousands separators). */
export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

export type Align = 'left' | 'right';

/**
 * Rows as aligned columns separated by two spaces; trailing spaces trimmed. `align` gives each column's alignment
 * (left by default). `maxWidths` caps a column's width: a longer cell overflows its column instead of widening it,
 * so that one long path (a callback's state key) does not pad every other row out past the screen.
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
  maxWidths: readonly (number | undefined)[] = [],
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (cell.length <= (maxWidths[i] ?? Infinity)) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** Stable JSON for `--json`: two-space indent and a trailing newline. */
export function toJsonLine(value: unknown): string {
  return `${jsonSafe(JSON.stringify(value, null, 2))}\n`;
}
