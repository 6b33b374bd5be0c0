/**
 * `kindling codegen`: registered on the CLI by `registerCodegenCommand(program)`.
 *
 * - default: regenerate (write missing/stale files, remove orphaned ones), print diagnostics; exit 1 on errors;
 * - `--check`: regenerate in memory; exit 1 listing every missing, stale or orphaned file with a unified diff;
 * - `--watch`: regenerate on every change and keep running whatever the diagnostics say.
 */
import type { Command } from 'commander';
import { CodegenConfigError } from './config.js';
import { generate, hasErrors } from './index.js';
import { applyToDisk, compareWithDisk } from './run/outputs.js';
import { countLine, formatCheckProblems, formatDiagnostics, formatWriteSummary } from './run/report.js';

export interface CodegenCommandOptions {
  project?: string;
  check?: boolean;
  watch?: boolean;
}

/** Exit codes: 0 done, 1 diagnostics with errors or (with --check) out-of-date files, 2 bad usage or configuration. */
const EXIT = { ok: 0, failed: 1, trouble: 2 } as const;

export function registerCodegenCommand(program: Command): void {
  program
    .command('codegen')
    .description('generate the typed stateDict()/loadStateDict() code of every @stateful class')
    .argument('[files...]', 'only these source files (default: every project file not excluded)')
    .option('-p, --project <tsconfig>', 'tsconfig of the project to scan', 'tsconfig.json')
    .option('--check', 'do not write; exit 1 listing missing, stale or orphaned generated files with diffs')
    .option('--watch', 'regenerate whenever a project file changes (keeps running on errors)')
    .action(async (files: string[], options: CodegenCommandOptions) => {
      process.exitCode = await runCodegenCommand(files, options);
    });
}

/** The command's behaviour, callable without commander (tests); returns the exit code. */
export async function runCodegenCommand(files: readonly string[], options: CodegenCommandOptions): Promise<number> {
  const cwd = process.cwd();
  if (options.check && options.watch) {
    process.stderr.write('kindling codegen: --check and --watch cannot be combined\n');
    return EXIT.trouble;
  }
  try {
    if (options.watch) {
      const { watchProject } = await import('./run/watch.js');
      await watchProject({ tsconfig: options.project ?? 'tsconfig.json', cwd });
      return EXIT.ok;
    }
    const result = await generate({ tsconfig: options.project ?? 'tsconfig.json', ...(files.length ? { files: [...files] } : {}) });
    for (const line of formatDiagnostics(result.diagnostics, cwd)) process.stderr.write(`${line}\n`);
    const statuses = compareWithDisk(result);
    if (options.check) {
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
