/**
 * The runtime-imports table (codegen/emit/runtime.ts) against the runtime module: every name generated code can take
 * from `$rt` is exported by src/runtime/index.ts, as a value or a type as used.
 */
import path from 'node:path';
import { Node, Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { RUNTIME_TYPES } from '../../../codegen/emit/runtime.js';
import type { TypeModel } from '../../../codegen/model.js';
import { REPO_ROOT } from '../support/fixture-cases.js';

const project = new Project({ tsConfigFilePath: path.join(REPO_ROOT, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
const runtime = project.addSourceFileAtPath(path.join(REPO_ROOT, 'src/runtime/index.ts'));
const exported = runtime.getExportedDeclarations();

function isType(name: string): boolean {
  return (exported.get(name) ?? []).some((d) => Node.isInterfaceDeclaration(d) || Node.isTypeAliasDeclaration(d) || Node.isClassDeclaration(d));
}

function isValue(name: string): boolean {
  return (exported.get(name) ?? []).some((d) => Node.isVariableDeclaration(d) || Node.isFunctionDeclaration(d) || Node.isClassDeclaration(d));
}

describe('the runtime-imports table', () => {
  it('names only types the runtime exports', () => {
    expect(RUNTIME_TYPES.filter((n) => !isType(n))).toEqual([]);
  });

  it('covers the codecs named after model kinds (written as rt(model.kind))', () => {
    const kinds: TypeModel['kind'][] = ['number', 'string', 'boolean', 'bigint', 'date', 'opaque'];
    expect(kinds.filter((k) => !isValue(k))).toEqual([]);
  });

  it('every rt(…) name in the emitters is a runtime export', () => {
    const emitters = project.addSourceFilesAtPaths(path.join(REPO_ROOT, 'codegen/emit/*.ts'));
    const names = new Set<string>();
    for (const sf of emitters) {
      for (const call of sf.getDescendants().filter(Node.isCallExpression)) {
        const [arg] = call.getArguments();
        if (call.getExpression().getText() === 'rt' && arg !== undefined && Node.isStringLiteral(arg)) names.add(arg.getLiteralValue());
      }
    }
    expect(names.size).toBeGreaterThan(20);
    expect([...names].filter((n) => !isValue(n) && !isType(n))).toEqual([]);
  });
});
