/**
 * kindling's own declarations as the scanned project sees them: `Tensor` and the generated-state types, resolved
 * through the project's module resolution (`kindling/runtime` in a user's project is the installed package's
 * `.d.ts`; inside the kindling repository it is `src/runtime/index.ts` through `paths`). Types are then recognised by
 * their declaration, never by name or file path, so a user type called `Tensor` is not a tensor.
 */
import path from 'node:path';
import type { Node, Project } from 'ts-morph';

export interface KindlingSymbols {
  /** Whether `declaration` is kindling's `Tensor` interface. */
  isTensor(declaration: Node): boolean;
  /** Whether `declaration` is kindling's `GeneratedState` or `GeneratedStateWithShims` (what generated code exports). */
  isGeneratedState(declaration: Node): boolean;
}

/** An in-memory file (never saved) whose imports the checker resolves like any project file's. */
const PROBE = '__kindling_codegen_probe__.ts';
const NAMES = ['Tensor', 'GeneratedState', 'GeneratedStateWithShims'] as const;
const SPECIFIERS = ['kindling/runtime', 'kindling'] as const;

function probeText(): string {
  return SPECIFIERS.map((s, i) => `import type * as k${i} from '${s}';\n`).join('');
}

/** The declarations of {@link NAMES} exported by whichever of {@link SPECIFIERS} resolve. */
function declarationsOf(project: Project, root: string): Map<string, Set<Node['compilerNode']>> {
  const file = path.join(root, PROBE);
  const probe = project.getSourceFile(file) ?? project.createSourceFile(file, probeText(), { overwrite: true });
  const found = new Map<string, Set<Node['compilerNode']>>(NAMES.map((n) => [n, new Set()]));
  for (const decl of probe.getImportDeclarations()) {
    const module = decl.getModuleSpecifierSourceFile();
    if (module === undefined) continue;
    const exported = module.getExportedDeclarations();
    for (const name of NAMES) {
      for (const d of exported.get(name) ?? []) found.get(name)!.add(d.compilerNode);
    }
  }
  return found;
}

export function kindlingSymbols(project: Project, root: string): KindlingSymbols {
  const found = declarationsOf(project, root);
  const is = (names: readonly string[]) => (declaration: Node) =>
    names.some((n) => found.get(n)!.has(declaration.compilerNode));
  return {
    isTensor: is(['Tensor']),
    isGeneratedState: is(['GeneratedState', 'GeneratedStateWithShims']),
  };
}

/** Whether a source file is the probe (never scanned, never reported). */
export function isProbe(file: string): boolean {
  return path.basename(file) === PROBE;
}
