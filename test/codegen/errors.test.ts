/**
 * Negative fixtures: for each diagnostic code, sources the generator must reject (fixtures/errors/<KCxxxx-name>), with
 * the exact formatted diagnostics committed in expected-diagnostics.txt (paths relative to the repository root).
 * `KINDLING_UPDATE_GOLDENS=1` rewrites those files too; review them line by line before committing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodegenSession, DIAGNOSTIC_CODES, type DiagnosticCode, formatDiagnostic } from '../../codegen/index.js';
import { ERRORS_DIR, errorCases, REPO_ROOT, repoRelative } from './support/fixture-cases.js';

const UPDATE = process.env.KINDLING_UPDATE_GOLDENS === '1';
const cases = errorCases();
const session = createCodegenSession({ tsconfig: resolve(REPO_ROOT, 'tsconfig.json') });
const codeCases = cases.filter((c) => /^KC\d{4}-/.test(c.name));
const MULTIPLE = 'multiple-errors';

function expectedLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
}

describe('codegen negative fixtures', () => {
  it('cover every diagnostic code', () => {
    const covered = codeCases.map((c) => c.name.slice(0, 6)).sort();
    expect(covered).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });

  it.each(cases)('$name', async (c) => {
    const { files, diagnostics } = await session.generate({ files: [...c.inputs] });
    const actual = diagnostics.map((d) => formatDiagnostic(d, REPO_ROOT));
    if (UPDATE) {
      writeFileSync(c.expectedDiagnosticsFile, `${actual.join('\n')}\n`);
      return;
    }
    expect(actual).toEqual(expectedLines(c.expectedDiagnosticsFile));

    const code = c.name.slice(0, 6) as DiagnosticCode;
    if (code in DIAGNOSTIC_CODES) {
      const info = DIAGNOSTIC_CODES[code];
      expect(diagnostics.filter((d) => d.code === code).map((d) => d.severity)).toContain(info.severity);
    }
    // A source with an error gets no generated file (a half-generated class would be worse than none).
    const failed = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
    expect(files.filter((f) => failed.has(f.source)).map((f) => repoRelative(f.path))).toEqual([]);
  });

  it('collects every problem of several files and sorts them by file, line and column', async () => {
    const c = cases.find((x) => x.name === MULTIPLE)!;
    const { diagnostics } = await session.generate({ files: [...c.inputs].reverse() });
    expect(new Set(diagnostics.map((d) => d.file)).size).toBe(c.inputs.length);
    expect(new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).size).toBeGreaterThanOrEqual(5);
    const order = diagnostics.map((d) => [repoRelative(d.file), d.line, d.column] as const);
    const sorted = [...order].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(order).toEqual(sorted);
  });

  it('the CLI prints the diagnostics, writes nothing for the failing classes and exits 1', () => {
    const c = cases.find((x) => x.name === MULTIPLE)!;
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');
    const run = spawnSync(
      process.execPath,
      [tsxCli, 'src/cli/bin.ts', 'codegen', ...c.inputs.map(repoRelative)],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.status).toBe(1);
    const printed = run.stderr.split('\n').filter((l) => / - (error|warning) KC\d{4}: /.test(l));
    expect(printed).toEqual(expectedLines(c.expectedDiagnosticsFile));
    const written = readdirSync(dirname(c.inputs[0]!)).filter((f) => f.endsWith('.state.generated.ts'));
    expect(written).toEqual([]);
  });

  it('has an expected-diagnostics.txt for every case', () => {
    for (const c of cases) expect(existsSync(c.expectedDiagnosticsFile), c.name).toBe(true);
    expect(readdirSync(ERRORS_DIR).every((d) => existsSync(join(ERRORS_DIR, d, 'input')))).toBe(true);
  });
});
