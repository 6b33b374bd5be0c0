/**
 * A build of kindling (its JavaScript and declarations, `tsc -p tsconfig.build.json`) inside the repository's `.tmp/`,
 * so that the cold-codegen benchmark can run what a user of the package runs: the compiled CLI, over a project whose
 * `kindling` import resolves to declaration files. Inside the repository, the build still finds `templates/` and
 * `node_modules/` by walking up, as an installed package finds its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface BuiltKindling {
  /** The compiled `kindling` command. */
  readonly bin: string;
  /** The declarations of the `kindling` entry (`runtime/index.d.ts` is beside it). */
  readonly entry: string;
  remove(): void;
}

export function buildKindling(repo: string): BuiltKindling {
  const base = join(repo, '.tmp');
  mkdirSync(base, { recursive: true });
  const out = mkdtempSync(join(base, 'bench-built-'));
  execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.build.json'), '--outDir', out, '--sourceMap', 'false'], {
    cwd: repo,
    stdio: 'pipe',
  });
  return { bin: join(out, 'src/cli/bin.js'), entry: join(out, 'src/index.d.ts'), remove: () => rmSync(out, { recursive: true, force: true }) };
}
