import { Command, CommanderError } from 'commander';
import { registerCodegenCommand } from '../../codegen/command.js';
import { registerDiffCommand } from './commands/diff.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerUpgradeCommand } from './commands/upgrade.js';
import { registerValidateCommand } from './commands/validate.js';
import type { CommandContext } from './context.js';
import { CLI_DOC, FORMAT_DOC } from './docs.js';
import { ExitCode } from './exit-codes.js';
import type { CliIO } from './io.js';
import { packageVersion } from '../checkpoint/package-version.js';

/**
 * The `kindling` program. It never calls `process.exit`: commander's exits become thrown `CommanderError`s
 * (`exitOverride`) and commands leave their exit code in `ctx`, so tests can run it in-process.
 */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('kindling')
    .description(`kindling checkpoint tools and code generator\n\ncommands, exit codes and --json shapes: ${CLI_DOC}\ncheckpoint format: ${FORMAT_DOC}`)
    .version(packageVersion())
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError('(run `kindling --help` for usage)');
  // Registered after exitOverride/configureOutput: commander copies both into subcommands created by .command().
  registerInspectCommand(program, ctx);
  registerDiffCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerUpgradeCommand(program, ctx);
  registerCodegenCommand(program);
  return program;
}

/**
 * Runs `kindling` with `argv` (the arguments after the program name) and returns the exit code of the checkpoint
 * commands. `codegen` is registered from codegen/command.ts and sets `process.exitCode` itself (bin.ts keeps it).
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const ctx: CommandContext = { io, exitCode: ExitCode.ok };
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    // Help and --version arrive here as CommanderErrors with exit code 0; usage errors have already been printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.trouble;
    // Anything else is a bug, not bad input: keep the stack, it is what a bug report needs.
    io.stderr.write(`kindling: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.trouble;
  }
}
