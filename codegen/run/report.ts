/** What the command prints: diagnostics, stale files with unified diffs, summaries. Pure string builders. */
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { formatDiagnostic, type Diagnostic } from '../index.js';
import { toPosix } from '../paths.js';
import type { FileStatus, WriteSummary } from './outputs.js';

function rel(file: string, cwd: string): string {
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

/** One block per file that is not fresh: a headline and a unified diff (on disk → generated). */
export function formatCheckProblems(statuses: readonly FileStatus[], cwd: string): string[] {
  const out: string[] = [];
  for (const s of statuses) {
    const name = rel(s.path, cwd);
    switch (s.kind) {
      case 'fresh':
        break;
      case 'missing':
        out.push(`missing: ${name}`, createTwoFilesPatch('/dev/null', name, '', s.expected, '', 'generated'));
        break;
      case 'stale':
        out.push(`stale: ${name}`, createTwoFilesPatch(name, name, s.actual, s.expected, 'on disk', 'generated'));
        break;
      case 'orphan':
        out.push(
          `orphaned: ${name} (its source file is gone or has no @stateful class left; delete it or run kindling codegen)`,
          createTwoFilesPatch(name, '/dev/null', s.actual, '', 'on disk', ''),
        );
        break;
    }
  }
  return out;
}

export function formatWriteSummary(summary: WriteSummary, cwd: string): string[] {
  return [
    ...summary.written.map((f) => `wrote ${rel(f, cwd)}`),
    ...summary.removed.map((f) => `removed ${rel(f, cwd)}`),
  ];
}
