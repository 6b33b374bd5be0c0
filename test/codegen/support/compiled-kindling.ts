/**
 * kindling as an installed package in a temporary directory: `<dir>/node_modules/kindling` holds this repository's
 * package.json and its `src/` compiled to `dist/` (JavaScript and declarations, with TypeScript 7 for speed), and
 * resolves its own dependencies from this repository's node_modules. Projects created under `<dir>` then use
 * kindling exactly as a user's project uses the published package.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './fixture-cases.js';

export const TSC6 = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
export const TSC7 = path.join(REPO_ROOT, 'node_modules/typescript7/bin/tsc');

/** Runs a TypeScript compiler; throws with its output when it reports anything. */
export function tsc(compiler: string, args: readonly string[], cwd: string): void {
  const run = spawnSync(process.execPath, [compiler, ...args, '--pretty', 'false'], { cwd, encoding: 'utf8' });
  if (run.status !== 0 || run.stdout + run.stderr !== '') {
    throw new Error(`${path.basename(path.dirname(path.dirname(compiler)))} ${args.join(' ')} in ${cwd} failed:\n${run.stdout}${run.stderr}`);
  }
}

/** Installs compiled kindling into `<dir>/node_modules/kindling`. */
export function installCompiledKindling(dir: string): string {
  const pkg = path.join(dir, 'node_modules', 'kindling');
  mkdirSync(pkg, { recursive: true });
  cpSync(path.join(REPO_ROOT, 'package.json'), path.join(pkg, 'package.json'));
  cpSync(path.join(REPO_ROOT, 'tsconfig.base.json'), path.join(pkg, 'tsconfig.base.json'));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  const config = path.join(pkg, 'tsconfig.compile.json');
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(REPO_ROOT, 'tsconfig.build.json'),
      compilerOptions: { rootDir: REPO_ROOT, outDir: path.join(pkg, 'dist'), sourceMap: false },
      include: [path.join(REPO_ROOT, 'src')],
    }),
  );
  tsc(TSC7, ['-p', config], pkg);
  return pkg;
}
