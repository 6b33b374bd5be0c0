/**
 * Which classes are `@stateful`, and where their generated State lives. A project class carries the decorator. A
 * class from a declaration file (a library, kindling's own `Callback` included) has lost its decorators, so it is
 * recognised by what its generated code declares: the augmentation `interface X { stateDict(): XState }` merged into
 * the class itself (not inherited), whose `XState` is both a type and a value of kindling's generated-state type.
 */
import { type ClassDeclaration, type ImportDeclaration, Node, type SourceFile, type Type, type TypeNode } from 'ts-morph';
import type { TypeRef } from '../model.js';
import { isStatefulDeclaration } from './decorators.js';
import type { KindlingSymbols } from './kindling-symbols.js';

/** A library class's generated state, as its declaration files show it. */
export interface LibraryState {
  readonly className: string;
  /** The name of the State type and of its value (`CallbackState`). */
  readonly stateName: string;
  /** The State type alias declaration. */
  readonly alias: Node;
  /** Keys of the State type (a subclass must not reuse them). */
  readonly keys: readonly string[];
}

export class StatefulClasses {
  private readonly libraries = new Map<ClassDeclaration, LibraryState | null>();

  constructor(private readonly kindling: KindlingSymbols) {}

  isTensor(declaration: Node): boolean {
    return this.kindling.isTensor(declaration);
  }

  /** The value kind a type is branded with, if any (see kindling-symbols.ts). */
  valueKindOf(type: Type, at: Node): string | undefined {
    return this.kindling.valueKindOf(type, at);
  }

  /** Whether a class is @stateful: decorated in the project, or a library class with generated state. */
  isStateful(cls: ClassDeclaration): boolean {
    return cls.getSourceFile().isDeclarationFile() ? this.libraryState(cls) !== undefined : isStatefulDeclaration(cls);
  }

  /** The generated state of a class from a declaration file, if it has one of its own. */
  libraryState(cls: ClassDeclaration): LibraryState | undefined {
    if (!cls.getSourceFile().isDeclarationFile()) return undefined;
    let state = this.libraries.get(cls);
    if (state === undefined) {
      state = this.readLibraryState(cls) ?? null;
      this.libraries.set(cls, state);
    }
    return state ?? undefined;
  }

  private readLibraryState(cls: ClassDeclaration): LibraryState | undefined {
    const instance = cls.getType();
    for (const signature of instance.getProperty('stateDict')?.getDeclarations() ?? []) {
      if (!Node.isMethodSignature(signature)) continue;
      // The class's own augmentation (an inherited stateDict belongs to the base class's interface).
      const owner = signature.getParent();
      if (!Node.isInterfaceDeclaration(owner) || owner.getType().compilerType !== instance.compilerType) continue;
      const returned = signature.getReturnTypeNode();
      if (returned === undefined || !Node.isTypeReference(returned)) continue;
      const symbol = returned.getTypeName().getSymbol();
      const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
      const alias = target?.getDeclarations().find(Node.isTypeAliasDeclaration);
      const value = target?.getValueDeclaration();
      if (target === undefined || alias === undefined || value === undefined || !Node.isVariableDeclaration(value)) continue;
      const valueType = value.getType();
      const declared = valueType.getAliasSymbol()?.getDeclarations()[0] ?? valueType.getSymbol()?.getDeclarations()[0];
      if (declared === undefined || !this.kindling.isGeneratedState(declared)) continue;
      return {
        className: cls.getName() ?? 'Anonymous',
        stateName: target.getName(),
        alias,
        keys: keysOf(alias.getTypeNode()),
      };
    }
    return undefined;
  }

  /**
   * How `sf` can import a library class's State (type and value): from a module `sf` already imports that exports it
   * (the package the user imported the class from, e.g. `'kindling'`), preferring the import that brings in the
   * class itself. Undefined when no import of `sf` exports it.
   */
  importRef(sf: SourceFile, state: LibraryState): TypeRef | undefined {
    const imports = [...sf.getImportDeclarations()].sort((a, b) => Number(bringsIn(b, state.className)) - Number(bringsIn(a, state.className)));
    for (const decl of imports) {
      const module = decl.getModuleSpecifierSourceFile();
      const exported = module?.getExportedDeclarations().get(state.stateName);
      if (module === undefined || !exported?.some((d) => d.compilerNode === state.alias.compilerNode)) continue;
      const specifier = decl.getModuleSpecifierValue();
      const file = module.getFilePath();
      return specifier.startsWith('.') ? { name: state.stateName, file } : { name: state.stateName, file, specifier };
    }
    return undefined;
  }
}

/**
 * The keys of a State type, read from its declaration (`BaseState & { a: …; b: … }`) so that the literal part counts
 * even where a referenced State does not resolve (the scan leaves project `.state.generated` imports unresolved).
 */
function keysOf(node: TypeNode | undefined): string[] {
  if (node === undefined) return [];
  if (Node.isIntersectionTypeNode(node)) return node.getTypeNodes().flatMap(keysOf);
  if (Node.isTypeLiteral(node)) return node.getMembers().flatMap((m) => (Node.isPropertySignature(m) ? [m.getName().replace(/^['"]|['"]$/g, '')] : []));
  const type = node.getType();
  return type.isAny() ? [] : type.getProperties().map((p) => p.getName());
}

function bringsIn(decl: ImportDeclaration, name: string): boolean {
  return decl.getNamespaceImport() !== undefined || decl.getNamedImports().some((n) => n.getName() === name);
}
