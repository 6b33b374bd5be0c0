/**
 * Type models → TypeScript type text: the State type (`state` form: how the value is saved) and the field view
 * (`field` form: how the class holds it). Resolved types are written out, never `Class['field']`, which fails on
 * private members.
 */
import type { TypeModel, TypeRef } from '../model.js';
import { rt } from './runtime.js';

export type TypeForm = 'state' | 'field';

/** Resolves a reference to a name usable in the generated file (adding the import). */
export type RefResolver = (ref: TypeRef, typeOnly: boolean) => string;

export interface TypeTextContext {
  readonly ref: RefResolver;
  /** The name of the runtime's `Tensor` type in the generated file (adds its import). */
  readonly tensor: () => string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyName(name: string): string {
  return IDENT.test(name) ? name : quote(name);
}

export function literalText(value: string | number | boolean): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/** A single-quoted string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

function needsParens(model: TypeModel): boolean {
  return model.kind === 'union' || (model.kind === 'enum' && (model.ref === undefined || model.members !== undefined) && model.values.length > 1);
}

export function typeText(model: TypeModel, form: TypeForm, ctx: TypeTextContext): string {
  const inner = (m: TypeModel) => typeText(m, form, ctx);
  const wrapped = (m: TypeModel) => (needsParens(m) ? `(${inner(m)})` : inner(m));
  switch (model.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
      return model.kind;
    case 'bigint':
      return form === 'state' ? 'string' : 'bigint';
    case 'date':
      return form === 'state' ? 'number' : 'Date';
    case 'literal':
      return literalText(model.value);
    case 'enum': {
      if (!model.ref) return model.values.map(literalText).join(' | ');
      const name = ctx.ref(model.ref, true);
      return model.members ? model.members.map((m) => `${name}.${propertyName(m)}`).join(' | ') : name;
    }
    case 'array':
      return `${model.readonly ? 'readonly ' : ''}${wrapped(model.element)}[]`;
    case 'tuple': {
      const parts = model.elements.map((e) => (e.optional ? `${wrapped(e.type)}?` : inner(e.type)));
      return `${model.readonly ? 'readonly ' : ''}[${parts.join(', ')}]`;
    }
    case 'object': {
      const parts = model.properties.map((p) => `${propertyName(p.name)}${p.optional ? '?' : ''}: ${inner(p.type)}`);
      if (model.index) parts.push(`[key: string]: ${inner(model.index)}`);
      return parts.length === 0 ? '{}' : `{ ${parts.join('; ')} }`;
    }
    case 'union':
      return model.members.map(inner).join(' | ');
    case 'tensor': {
      const name = ctx.tensor();
      return model.dtypes.length === 0 ? name : `${name}<${model.dtypes.map(quote).join(' | ')}>`;
    }
    case 'map':
      return form === 'state'
        ? `[${inner(model.key)}, ${inner(model.value)}][]`
        : `${model.readonly ? 'ReadonlyMap' : 'Map'}<${inner(model.key)}, ${inner(model.value)}>`;
    case 'set':
      return form === 'state' ? `${wrapped(model.element)}[]` : `${model.readonly ? 'ReadonlySet' : 'Set'}<${inner(model.element)}>`;
    case 'stateful':
      return form === 'state' ? statesText(model, ctx) : 'object';
    case 'statefuls':
      return statefulsText(model, form, ctx);
    case 'instance':
      return form === 'state' ? 'Record<string, unknown>' : ctx.ref(model.ref, true);
    case 'opaque':
      return 'unknown';
    case 'valueKind':
      // The live value's class is not imported (it may live in another package); commit returns what the kind gives.
      if (model.name === undefined) return 'unknown';
      return form === 'state' ? `${rt('ValueKindState')}<${quote(model.name)}>` : 'object';
  }
}

/** The State type of a @stateful value: its class's, or the union of its classes' (`EarlyStoppingState | EmaState`). */
function statesText(model: Extract<TypeModel, { kind: 'stateful' }>, ctx: TypeTextContext): string {
  return model.states.map((s) => ctx.ref(s, true)).join(' | ');
}

function statefulsText(model: Extract<TypeModel, { kind: 'statefuls' }>, form: TypeForm, ctx: TypeTextContext): string {
  const names = model.elements.map((e) => {
    if (form !== 'state') return 'object';
    const text = statesText(e, ctx);
    return e.states.length > 1 && model.shape === 'array' ? `(${text})` : text;
  });
  const ro = model.readonly ? 'readonly ' : '';
  const name = names[0]!;
  switch (model.shape) {
    case 'array':
      return `${ro}${name}[]`;
    case 'tuple':
      return `${ro}[${names.join(', ')}]`;
    case 'record':
      return `Record<string, ${name}>`;
    case 'map': {
      const key = typeText(model.key!, form, ctx);
      return form === 'state' ? `[${key}, ${name}][]` : `${model.readonly ? 'ReadonlyMap' : 'Map'}<${key}, ${name}>`;
    }
    case 'nullable':
      return `${name} | null`;
  }
}
