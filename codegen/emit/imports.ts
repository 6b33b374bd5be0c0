/** Collects the imports a generated file needs, so emitters never maintain import lists by hand. */

interface ImportedName {
  readonly name: string;
  readonly typeOnly: boolean;
  readonly alias?: string;
}

export class Imports {
  private readonly modules = new Map<string, Map<string, ImportedName>>();
  private readonly namespaces = new Map<string, string>();

  /** `import * as alias from 'specifier'`. */
  namespace(specifier: string, alias: string): void {
    this.namespaces.set(specifier, alias);
  }

  /** Adds `name` (as `alias`) from `specifier`; a value import of a name wins over a type-only one. */
  add(specifier: string, name: string, typeOnly: boolean, alias?: string): void {
    let names = this.modules.get(specifier);
    if (!names) this.modules.set(specifier, (names = new Map()));
    const key = alias ? `${name} as ${alias}` : name;
    const existing = names.get(key);
    names.set(key, { name, typeOnly: typeOnly && (existing?.typeOnly ?? true), ...(alias ? { alias } : {}) });
  }

  /** Import declarations in a stable order: packages first, then relative paths, each sorted; names sorted. */
  render(): string[] {
    const specifiers = [...new Set([...this.namespaces.keys(), ...this.modules.keys()])].sort((a, b) => {
      const ra = a.startsWith('.') ? 1 : 0;
      const rb = b.startsWith('.') ? 1 : 0;
      return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
    });
    return specifiers.flatMap((specifier) => {
      const namespace = this.namespaces.get(specifier);
      const named = this.modules.has(specifier) ? [this.named(specifier)] : [];
      return namespace === undefined ? named : [`import * as ${namespace} from '${specifier}';`, ...named];
    });
  }

  private named(specifier: string): string {
    const names = [...this.modules.get(specifier)!.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const text = (n: ImportedName) => (n.alias ? `${n.name} as ${n.alias}` : n.name);
    if (names.every((n) => n.typeOnly)) return `import type { ${names.map(text).join(', ')} } from '${specifier}';`;
    return `import { ${names.map((n) => (n.typeOnly ? `type ${text(n)}` : text(n))).join(', ')} } from '${specifier}';`;
  }
}
