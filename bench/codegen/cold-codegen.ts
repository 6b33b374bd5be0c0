/**
 * (a) Cold codegen over a synthetic project: every run is a fresh `node` process running the kindling CLI through
 * tsx (as `npm run codegen` does), timed from spawn to exit, so module loading and TypeScript start-up are included.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

export interface ColdRun {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** Runs `kindling codegen [args]` with `cwd` as the project directory. */
export function runCodegenCli(repoRoot: string, cwd: string, args: readonly string[] = []): ColdRun {
  const tsxCli = require.resolve('tsx/cli');
  const start = performance.now();
  const child = spawnSync(process.execPath, [tsxCli, join(repoRoot, 'src/cli/bin.ts'), 'codegen', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (child.error) throw child.error;
  return { seconds, exitCode: child.status, stderr: child.stderr, stdout: child.stdout };
}
