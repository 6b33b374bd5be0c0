/**
 * (a) Cold codegen over a synthetic project: every run is a fresh process running the kindling CLI, either from source
 * through tsx (what `npm run codegen` does in this repository) or a build of it (`cli`: what `npx kindling codegen`
 * runs in a user's project), timed from spawn to exit, so module loading and TypeScript start-up are included. Where
 * GNU time is available, the run's CPU time (user + sys, children included) and peak memory are recorded too: CPU time
 * is far less disturbed than wall time by other work on a shared machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const GNU_TIME = '/usr/bin/time';

export interface ColdRun {
  readonly seconds: number;
  /** user + sys CPU seconds of the whole process tree, when GNU time is available. */
  readonly cpuSeconds?: number;
  readonly maxRssMiB?: number;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** Runs `kindling codegen [args]` with `cwd` as the project directory; `cli` is a built `bin.js` (default: the source). */
export function runCodegenCli(repoRoot: string, cwd: string, args: readonly string[] = [], cli?: string): ColdRun {
  const entry = cli === undefined ? [require.resolve('tsx/cli'), join(repoRoot, 'src/cli/bin.ts')] : [cli];
  const command = [process.execPath, ...entry, 'codegen', ...args];
  const timed = existsSync(GNU_TIME);
  const scratch = timed ? mkdtempSync(join(tmpdir(), 'kindling-time-')) : undefined;
  const report = scratch ? join(scratch, 'rusage') : undefined;
  const [file, ...rest] = report ? [GNU_TIME, '-o', report, '-f', '%U %S %M', ...command] : command;
  const start = performance.now();
  const child = spawnSync(file!, rest, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (child.error) throw child.error;
  let usage: { cpuSeconds?: number; maxRssMiB?: number } = {};
  if (report && scratch) {
    const [user, sys, rssKiB] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    usage = { cpuSeconds: user! + sys!, maxRssMiB: rssKiB! / 1024 };
    rmSync(scratch, { recursive: true, force: true });
  }
  return { seconds, ...usage, exitCode: child.status, stderr: child.stderr, stdout: child.stdout };
}
