/** docs/api.md lists exactly what the `kindling` entry exports (values and types), so the page stays complete. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../codegen/support/fixture-cases.js';

function documented(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/api.md'), 'utf8');
  const section = text.slice(text.indexOf('## `kindling`\n'), text.indexOf('## `kindling/runtime`'));
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]!));
  return names.sort();
}

describe('docs/api.md', () => {
  it('lists every export of kindling, and nothing else', () => {
    const project = new Project({ tsConfigFilePath: path.join(REPO_ROOT, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const entry = project.addSourceFileAtPath(path.join(REPO_ROOT, 'src/index.ts'));
    expect(documented()).toEqual([...entry.getExportedDeclarations().keys()].sort());
  });
});
