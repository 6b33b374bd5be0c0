/**
 * Compiles checkpoint-child.ts (and the library code it imports) to JavaScript with the project's own tsc, so the
 * measured child processes are plain `node` (~40 MiB) rather than node + tsx's loader (~75 MiB): the peak-RSS
 * target (state + 64 MiB) leaves no room for a transpiler that a real user's process would not carry.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Returns the path of the compiled child script. */
export function compileChild(repo: string, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const tsconfig = join(outDir, 'tsconfig.child.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: relative(outDir, join(repo, 'tsconfig.json')),
      compilerOptions: { noEmit: false, outDir: relative(outDir, join(outDir, 'js')), rootDir: relative(outDir, repo), sourceMap: false },
      include: [],
      files: [relative(outDir, join(repo, 'bench', 'helpers', 'checkpoint-child.ts'))],
    }),
  );
  execFileSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { stdio: 'inherit' });
  // ESM output: say so wherever outDir is, even outside the repository.
  writeFileSync(join(outDir, 'js', 'package.json'), '{ "type": "module" }\n');
  return join(outDir, 'js', 'bench', 'helpers', 'checkpoint-child.js');
}
