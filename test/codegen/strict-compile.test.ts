/**
 * The codegen fixtures and their generated code compile under stricter compiler settings than the repository's
 * (tsconfig.fixtures.json: exactOptionalPropertyTypes, noUncheckedIndexedAccess, noImplicitOverride,
 * noPropertyAccessFromIndexSignature), with both TypeScript lanes: 6 (`tsc`) and 7 (native).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixture-cases.js';

// The same entry points as `npm run typecheck` and `npm run typecheck:ts7` (typescript7 exports no bin subpath).
const lanes = [
  { name: 'TypeScript 6', bin: join(REPO_ROOT, 'node_modules/typescript/bin/tsc') },
  { name: 'TypeScript 7', bin: join(REPO_ROOT, 'node_modules/typescript7/bin/tsc') },
];

describe('generated code under strict compiler settings', () => {
  it.each(lanes)('$name compiles tsconfig.fixtures.json without errors', ({ bin }) => {
    const run = spawnSync(process.execPath, [bin, '-p', 'tsconfig.fixtures.json', '--pretty', 'false'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
