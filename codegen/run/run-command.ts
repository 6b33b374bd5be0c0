/** What `kindling codegen` does once its options are parsed (loaded lazily by codegen/command.ts). */
import type { CodegenCommandOptions } from '../command.js';
import { CodegenConfigError } from '../config.js';
import { generate, hasErrors } from '../index.js';
import { applyToDisk, compareWithDisk } from './outputs.js';
import { countLine, formatDiagnostics, formatWriteSummary } from './report.js';

/** Exit codes: 0 done, 1 diagnostics with errors or (with --check) out-of-date files, 2 bad usage or configuration. */
const EXIT = { ok: 0, failed: 1, trouble: 2 } as const;

/** Runs the command; returns the exit code. */
export async function runCodegen(files: readonly string[], options: CodegenCommandOptions): Promise<number> {
  const cwd = process.cwd();
  if (options.check && options.watch) {
    process.stderr.write('kindling codegen: --check and --watch cannot be combined\n');
    return EXIT.trouble;
  }
  try {
    if (options.watch) {
      const { watchProject } = await import('./watch.js');
      await watchProject({ tsconfig: options.project ?? 'tsconfig.json', cwd });
      return EXIT.ok;
    }
    const result = await generate({ tsconfig: options.project ?? 'tsconfig.json', ...(files.length ? { files: [...files] } : {}) });
    for (const line of formatDiagnostics(result.diagnostics, cwd)) process.stderr.write(`${line}\n`);
    const statuses = compareWithDisk(result);
    if (options.check) {
      const { formatCheckProblems } = await import('./check-report.js');
      const problems = formatCheckProblems(statuses, cwd);
      for (const line of problems) process.stdout.write(`${line}\n`);
      const outdated = statuses.filter((s) => s.kind !== 'fresh').length;
      const verdict = outdated === 0 ? 'all generated files are up to date' : `${outdated} generated file(s) out of date: run kindling codegen`;
      process.stderr.write(`kindling codegen --check: ${verdict}; ${countLine(result.diagnostics)}\n`);
      return outdated > 0 || hasErrors(result.diagnostics) ? EXIT.failed : EXIT.ok;
    }
    const summary = applyToDisk(statuses);
    for (const line of formatWriteSummary(summary, cwd)) process.stdout.write(`${line}\n`);
    process.stderr.write(
      `kindling codegen: ${result.files.length} generated file(s), ${summary.written.length} written, ` +
        `${summary.removed.length} removed; ${countLine(result.diagnostics)}\n`,
    );
    return hasErrors(result.diagnostics) ? EXIT.failed : EXIT.ok;
  } catch (e) {
    if (e instanceof CodegenConfigError) {
      process.stderr.write(`kindling codegen: ${e.message}\n`);
      return EXIT.trouble;
    }
    throw e;
  }
}
