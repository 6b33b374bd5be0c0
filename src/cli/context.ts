import type { CliIO } from './io.js';
import type { ExitCode } from './exit-codes.js';

/** What every command gets: where to write, and where to leave its exit code for `runCli`. */
export interface CommandContext {
  readonly io: CliIO;
  exitCode: ExitCode;
}
