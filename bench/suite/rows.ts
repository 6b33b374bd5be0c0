/** The suite's one table: every figure with its target next to it and whether it was met. */
import type { Spread } from './samples.js';

export interface Target {
  readonly op: '≥' | '≤';
  readonly value: number;
}

export interface Row {
  /** Issue 13 item: '1', '2', … */
  readonly item: string;
  readonly what: string;
  readonly unit: '×' | 's' | 'MiB';
  /** Absent: not measured (see `note`). */
  readonly figure?: Spread;
  readonly target?: Target;
  /** What the figure is made of (e.g. the two medians), or why it is missing. */
  readonly note?: string;
}

export type Verdict = 'met' | 'MISSED' | '—' | 'skipped';

export function verdict(row: Row): Verdict {
  if (!row.figure) return 'skipped';
  if (!row.target) return '—';
  const v = row.figure.median;
  const ok = row.target.op === '≥' ? v >= row.target.value : v <= row.target.value;
  return ok ? 'met' : 'MISSED';
}

function num(value: number, unit: Row['unit']): string {
  if (unit === 'MiB') return value.toFixed(0);
  if (unit === 's') return value < 1 ? value.toFixed(3) : value.toFixed(2);
  return value.toFixed(2);
}

export function figureText(row: Row): string {
  if (!row.figure) return 'skipped';
  const f = row.figure;
  return `${num(f.median, row.unit)}${row.unit}`;
}

export function rangeText(row: Row): string {
  if (!row.figure) return '';
  const f = row.figure;
  return `${num(f.min, row.unit)}–${num(f.max, row.unit)} (n=${f.n})`;
}

export function targetText(row: Row): string {
  return row.target ? `${row.target.op} ${num(row.target.value, row.unit)}${row.unit}` : '(reference)';
}

const HEAD = ['item', 'what', 'figure (median)', 'min–max', 'target', 'verdict', 'load avg', 'Dirty kB', 'note'];

function cells(row: Row): string[] {
  const f = row.figure;
  return [
    row.item,
    row.what,
    figureText(row),
    rangeText(row),
    targetText(row),
    verdict(row),
    f ? f.loadAverage.toFixed(1) : '',
    f ? String(Math.round(f.dirtyKb)) : '',
    row.note ?? '',
  ];
}

/** A Markdown table: readable on stdout and pasted as it is into BENCHMARKS.md. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const c = cells(row);
    if (verdict(row) === 'MISSED') c[5] = '**MISSED**';
    lines.push(`| ${c.map((x) => x.replaceAll('|', '\\|')).join(' | ')} |`);
  }
  return lines.join('\n');
}
