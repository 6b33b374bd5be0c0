/**
 * Golden fixtures: the generator's output for each case under fixtures/<case>/input must equal, byte for byte, the
 * committed fixtures/<case>/expected files (which tsc compiles with the rest of the repo, on both lanes).
 *
 * After a deliberate generator change: `KINDLING_UPDATE_GOLDENS=1 npx vitest run test/codegen/golden.test.ts`
 * rewrites the expected files; read every changed line before committing them.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodegenSession, formatDiagnostic } from '../../codegen/index.js';
import { committedGoldens, goldenCases, REPO_ROOT, repoRelative } from './support/fixture-cases.js';
import { goldenDiff } from './support/golden-diff.js';

const UPDATE = process.env.KINDLING_UPDATE_GOLDENS === '1';
const cases = goldenCases();
// One ts-morph project for every case: opening the repository's project is the expensive part.
const session = createCodegenSession({ tsconfig: resolve(REPO_ROOT, 'tsconfig.json') });

describe('codegen golden fixtures', () => {
  it('has one case per type family', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'arrays',
      'class-instances',
      'cross-file-types',
      'enums',
      'inheritance',
      'library-base',
      'literal-unions',
      'map-set-date-bigint',
      'nested-collections',
      'nested-stateful',
      'optional-nullable',
      'persist-options',
      'primitives',
      'private-protected',
      'records',
      'state-graphs',
      'stateful-unions',
      'tensors',
      'tuples',
      'value-kinds',
    ]);
  });

  it.each(cases)('$name', async (c) => {
    const { files, diagnostics } = await session.generate({
      files: [...c.inputs],
      rootDir: c.inputDir,
      outDir: c.expectedDir,
    });
    expect(diagnostics.map((d) => formatDiagnostic(d, REPO_ROOT))).toEqual([]);

    const generated = new Map(files.map((f) => [resolve(REPO_ROOT, f.path), f.text]));
    const committed = new Map(committedGoldens(c).map((p) => [p, readFileSync(p, 'utf8')]));

    if (UPDATE) {
      mkdirSync(c.expectedDir, { recursive: true });
      for (const path of committed.keys()) if (!generated.has(path)) rmSync(path);
      for (const [path, text] of generated) writeFileSync(path, text);
      return;
    }

    const paths = [...new Set([...generated.keys(), ...committed.keys()])].sort();
    const diffs = paths
      .map((p) => goldenDiff(repoRelative(p), committed.get(p), generated.get(p)))
      .filter((d) => d !== '');
    if (diffs.length > 0) {
      expect.fail(
        `generated code differs from the committed goldens of "${c.name}" ` +
          `(if the change is intended: KINDLING_UPDATE_GOLDENS=1 npx vitest run test/codegen/golden.test.ts, ` +
          `then review the diff):\n${diffs.join('\n')}`,
      );
    }
  });
});
