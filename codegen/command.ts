/**
 * `kindling codegen`: registered on the CLI by `registerCodegenCommand(program)`.
 *
 * - default: regenerate (write missing/stale files, remove orphaned ones), print diagnostics; exit 1 on errors;
 * - `--check`: regenerate in memory; exit 1 listing every missing, stale or orphaned file with a unified diff;
 * - `--watch`: regenerate on every change and keep running whatever the diagnostics say.
 *
 * This module stays light: the generator (and ts-morph, ~0.75 s to load) is imported only when the command runs, so
 * `kindling inspect` and the other checkpoint commands start fast, and they work where codegen's optional peer
 * dependencies are not installed (see peers.ts).
 */
import type { Command } from 'commander';
import { missingPeer, missingPeerMessage } from './peers.js';

export interface CodegenCommandOptions {
  project?: string;
  check?: boolean;
  watch?: boolean;
}

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
  try {
    const { runCodegen } = await import('./run/run-command.js');
    return await runCodegen(files, options);
  } catch (error) {
    const peer = missingPeer(error);
    if (peer === undefined) throw error;
    process.stderr.write(`${missingPeerMessage(peer)}\n`);
    return 2;
  }
}
