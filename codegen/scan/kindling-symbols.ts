/**
 * kindling's own declarations as the scanned project sees them: `Tensor` and the generated-state types, resolved
 * through the project's module resolution (`kindling/runtime` in a user's project is the installed package's
 * `.d.ts`; inside the kindling repository it is `src/runtime/index.ts` through `paths`). Types are then recognised by
 * their declaration, never by name or file path, so a user type called `Tensor` is not a tensor.
 */
import path from 'node:path';
import { Node, type Project, type Type } from 'ts-morph';

export interface KindlingSymbols {
  /** Whether `declaration` is kindling's `Tensor` interface. */
  isTensor(declaration: Node): boolean;
  /** Whether `declaration` is kindling's `GeneratedState` or `GeneratedStateWithShims` (what generated code exports). */
  isGeneratedState(declaration: Node): boolean;
  /**
   * The value kind a type is branded with (`declare readonly [VALUE_KIND]?: 'kindling.Parameter'`, see
   * src/state/value-kinds.ts): the literal of its property keyed by kindling's `VALUE_KIND` symbol, if any.
   */
  valueKindOf(type: Type, at: Node): string | undefined;
}

/** An in-memory file (never saved) whose imports the checker resolves like any project file's. */
const PROBE = '__kindling_codegen_probe__.ts';
const NAMES = ['Tensor', 'GeneratedState', 'GeneratedStateWithShims', 'VALUE_KIND'] as const;
const SPECIFIERS = ['kindling/runtime', 'kindling'] as const;

// One named import per name and specifier, resolved through its alias: only these names are resolved. Asking the
// module for all its exported declarations instead resolves every export of `kindling`, the whole library, which
// cost more than scanning 500 components.
function probeText(): string {
  return SPECIFIERS.flatMap((s, i) => NAMES.map((n) => `import type { ${n} as k${i}_${n} } from '${s}';\n`)).join('');
}

/** The declarations of {@link NAMES} exported by whichever of {@link SPECIFIERS} resolve. */
function declarationsOf(project: Project, root: string): Map<string, Set<Node['compilerNode']>> {
  const file = path.join(root, PROBE);
  const probe = project.getSourceFile(file) ?? project.createSourceFile(file, probeText(), { overwrite: true });
  const found = new Map<string, Set<Node['compilerNode']>>(NAMES.map((n) => [n, new Set()]));
  for (const decl of probe.getImportDeclarations()) {
    for (const specifier of decl.getNamedImports()) {
      const name = specifier.getName() as (typeof NAMES)[number];
      const symbol = specifier.getNameNode().getSymbol();
      // An unresolved import (a specifier or name that does not exist) aliases nothing: skip it.
      const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : undefined;
      for (const d of target?.getDeclarations() ?? []) found.get(name)?.add(d.compilerNode);
    }
  }
  return found;
}

export function kindlingSymbols(project: Project, root: string): KindlingSymbols {
  const found = declarationsOf(project, root);
  const is = (names: readonly string[]) => (declaration: Node) =>
    names.some((n) => found.get(n)!.has(declaration.compilerNode));
  const isBrandKey = is(['VALUE_KIND']);
  return {
    isTensor: is(['Tensor']),
    isGeneratedState: is(['GeneratedState', 'GeneratedStateWithShims']),
    valueKindOf(type, at) {
      if (!type.isObject() && !type.isIntersection()) return undefined;
      for (const property of type.getProperties()) {
        // Symbol-keyed properties only (`__@VALUE_KIND@12`): a cheap test before resolving declarations.
        if (!property.getName().startsWith('__@')) continue;
        for (const decl of property.getDeclarations()) {
          if (!Node.isPropertyDeclaration(decl) && !Node.isPropertySignature(decl)) continue;
          const name = decl.getNameNode();
          if (!Node.isComputedPropertyName(name)) continue;
          const symbol = name.getExpression().getSymbol();
          const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
          if (!target?.getDeclarations().some(isBrandKey)) continue;
          const literals = property.getTypeAtLocation(at).getUnionTypes().filter((t) => t.isStringLiteral());
          const single = literals.length === 1 ? literals[0] : property.getTypeAtLocation(at);
          if (single?.isStringLiteral()) return single.getLiteralValue() as string;
        }
      }
      return undefined;
    },
  };
}

/** Whether a source file is the probe (never scanned, never reported). */
export function isProbe(file: string): boolean {
  return path.basename(file) === PROBE;
}
