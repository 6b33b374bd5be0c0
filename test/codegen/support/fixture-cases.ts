/**
 * Where the codegen fixtures live and how a case is laid out:
 *   fixtures/<case>/input/*.ts                       sources (compiled by tsc with the rest of the repo)
 *   fixtures/<case>/expected/*.state.generated.ts    the committed output of `generate()` for those sources
 *   fixtures/errors/<KCxxxx-name>/input/*.ts         sources the generator must reject
 *   fixtures/errors/<KCxxxx-name>/expected-diagnostics.txt   the exact formatted diagnostics, one per line
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const FIXTURES_DIR = join(REPO_ROOT, 'test/codegen/fixtures');
export const ERRORS_DIR = join(FIXTURES_DIR, 'errors');
export const GENERATED_SUFFIX = '.state.generated.ts';

export interface GoldenCase {
  readonly name: string;
  readonly inputDir: string;
  readonly expectedDir: string;
  /** Absolute paths of the case's input sources, sorted. */
  readonly inputs: readonly string[];
}

export interface ErrorCase {
  readonly name: string;
  readonly inputDir: string;
  readonly inputs: readonly string[];
  readonly expectedDiagnosticsFile: string;
}

function tsFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => join(dir, f));
}

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export function goldenCases(): GoldenCase[] {
  return subdirs(FIXTURES_DIR)
    .filter((name) => name !== 'errors')
    .map((name) => {
      const inputDir = join(FIXTURES_DIR, name, 'input');
      return { name, inputDir, expectedDir: join(FIXTURES_DIR, name, 'expected'), inputs: tsFilesIn(inputDir) };
    });
}

export function errorCases(): ErrorCase[] {
  return subdirs(ERRORS_DIR).map((name) => {
    const inputDir = join(ERRORS_DIR, name, 'input');
    return {
      name,
      inputDir,
      inputs: tsFilesIn(inputDir),
      expectedDiagnosticsFile: join(ERRORS_DIR, name, 'expected-diagnostics.txt'),
    };
  });
}

/** Committed generated files of a golden case (absolute paths, sorted). */
export function committedGoldens(c: GoldenCase): string[] {
  if (!existsSync(c.expectedDir)) return [];
  return readdirSync(c.expectedDir)
    .filter((f) => f.endsWith(GENERATED_SUFFIX))
    .sort()
    .map((f) => join(c.expectedDir, f));
}

export function repoRelative(path: string): string {
  return relative(REPO_ROOT, path);
}
