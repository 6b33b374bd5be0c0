/**
 * How a module's parameters, buffers and submodules are found: by walking its fields in the order they were
 * assigned, as torch registers attributes in `__setattr__`. A field holding a {@link Parameter}, a {@link Buffer}, a
 * {@link Module}, an array of modules or parameters (`layers.0`), or a plain record of modules (`blocks.encoder`)
 * is a member; its name is the field's state key (`@persist({ name })`, else the field name), so that the dotted
 * names equal the paths in the module's state and torch's `state_dict()` keys for the same structure.
 */
import { persistedFields } from '../../state/metadata.js';
import { Buffer, Parameter } from './parameter.js';

/** The part of a Module the walk needs (module.ts implements it; this file cannot import module.ts back). */
export interface TreeNode {
  readonly constructor: unknown;
}

export type Member<M extends TreeNode> = { readonly name: string; /** Whether the field holding it is `@persist`. */ readonly persisted: boolean } & (
  | { readonly kind: 'parameter'; readonly value: Parameter }
  | { readonly kind: 'buffer'; readonly value: Buffer }
  | { readonly kind: 'module'; readonly value: M }
);

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The direct members of `node`, in field order, each with its name relative to `node`. */
export function directMembers<M extends TreeNode>(node: M, isModule: (value: unknown) => value is M): Member<M>[] {
  const out: Member<M>[] = [];
  const fields = persistedFields(node.constructor as abstract new () => object);
  for (const property of Object.keys(node)) {
    const field = fields.find((f) => f.property === property);
    const persisted = field !== undefined;
    const visit = (name: string, value: unknown, nested: boolean): void => {
      if (value instanceof Parameter) out.push({ kind: 'parameter', name, persisted, value });
      else if (value instanceof Buffer) out.push({ kind: 'buffer', name, persisted, value });
      else if (isModule(value)) out.push({ kind: 'module', name, persisted, value });
      else if (nested) return;
      else if (Array.isArray(value)) value.forEach((v, i) => visit(`${name}.${i}`, v, true));
      else if (isPlainRecord(value)) for (const [k, v] of Object.entries(value)) visit(`${name}.${k}`, v, true);
    };
    visit(field?.key ?? property, (node as unknown as Record<string, unknown>)[property], false);
  }
  return out;
}
