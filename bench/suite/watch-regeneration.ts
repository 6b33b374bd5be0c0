/**
 * Item 7, watch mode: `kindling codegen --watch` runs in a synthetic project; each measurement edits one component
 * file (adds a persisted field) and times from the moment the edit is written to the moment the component's
 * generated file on disk holds the new field. This includes chokidar's change detection and the watcher's debounce
 * (100 ms), as a user waiting for their editor's type errors to clear would experience it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { dirtyKb } from './writeback.js';

const require = createRequire(import.meta.url);
const READY = /watching for changes/g;

export interface WatchEdit {
  readonly seconds: number;
  readonly loadAverage: number;
  readonly dirtyKb: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once `count()` reaches `n`, or rejects after `timeoutMs`. */
async function until(predicate: () => boolean, timeoutMs: number, what: string, pollMs = 2): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`watch benchmark: timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

function generatedPath(source: string): string {
  return source.replace(/\.ts$/, '.state.generated.ts');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Runs the watcher in `projectDir` and edits `edits` different component files of `sources` one after the other,
 * waiting for the watcher to finish each round before the next edit.
 */
export async function measureWatch(repoRoot: string, projectDir: string, sources: readonly string[], edits: number): Promise<WatchEdit[]> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(repoRoot, 'src/cli/bin.ts'), 'codegen', '--watch'], {
    cwd: projectDir,
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const rounds = (): number => output.match(READY)?.length ?? 0;
  const results: WatchEdit[] = [];
  try {
    await until(() => rounds() >= 1 || child.exitCode !== null, 120_000, 'the first generation of --watch', 20);
    if (child.exitCode !== null) throw new Error(`codegen --watch exited (${child.exitCode}):\n${output}`);
    // Edit components spread over the project, never the same file twice.
    const step = Math.max(1, Math.floor(sources.length / edits));
    for (let i = 0; i < edits; i++) {
      const source = sources[(i * step) % sources.length]!;
      const text = readFileSync(source, 'utf8');
      const at = text.indexOf('{\n', text.indexOf('export class ')) + 2;
      const field = `benchWatchEdit${i}`;
      const before = rounds();
      await sleep(300); // let chokidar settle after the previous round's writes
      const load = loadavg()[0] ?? Number.NaN;
      const dirty = dirtyKb();
      writeFileSync(source, `${text.slice(0, at)}  @persist() ${field} = ${i};\n${text.slice(at)}`);
      const written = performance.now();
      const generated = generatedPath(source);
      await until(() => {
        try {
          return readFileSync(generated, 'utf8').includes(field);
        } catch {
          return false;
        }
      }, 30_000, `${generated} to gain ${field}`);
      results.push({ seconds: (performance.now() - written) / 1000, loadAverage: load, dirtyKb: dirty });
      await until(() => rounds() > before, 30_000, 'the watcher to finish its round', 5);
    }
  } finally {
    await stop(child);
  }
  return results;
}
