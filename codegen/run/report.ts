/** What the command prints: diagnostics, stale files with unified diffs, summaries. Pure string builders. */
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../index.js';
import { toPosix } from '../paths.js';
import type { WriteSummary } from './outputs.js';

export function rel(file: string, cwd: string): string {
  return toPosix(path.relative(cwd, file)) || file;
}

export function formatDiagnostics(diagnostics: readonly Diagnostic[], cwd: string): string[] {
  return diagnostics.map((d) => formatDiagnostic(d, cwd));
}

export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function formatWriteSummary(summary: WriteSummary, cwd: string): string[] {
  return [
    ...summary.written.map((f) => `wrote ${rel(f, cwd)}`),
    ...summary.removed.map((f) => `removed ${rel(f, cwd)}`),
  ];
}
