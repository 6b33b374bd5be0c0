/** Where the CLI writes. Tests pass in-memory sinks; `bin.ts` passes the process streams. */
export interface CliOutput {
  write(text: string): void;
}

export interface CliIO {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /**
   * The stream a progress bar may draw on, present only when stderr is an interactive terminal: bars on a pipe or
   * in a log file are noise.
   */
  readonly progressStream?: NodeJS.WritableStream;
}

export function processIO(): CliIO {
  const stderr = process.stderr;
  return {
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void stderr.write(text) },
    ...(stderr.isTTY ? { progressStream: stderr } : {}),
  };
}
