/** The `--check` report: stale, missing and orphaned files with unified diffs (`diff` is loaded only for it). */
import { createTwoFilesPatch } from 'diff';
import type { FileStatus } from './outputs.js';
import { rel } from './report.js';

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
