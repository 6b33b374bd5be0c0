/**
 * One component → its part of the generated file: the State interface, the module augmentation that types
 * `stateDict()`/`loadStateDict()`, and the `XState` object with straight-line `stateDict`/`prepareLoad`.
 */
import type { ComponentModel, FieldModel } from '../model.js';
import { codecExpr, isImmediate, RT, statefulSlotExpr } from './codec-expr.js';
import { fill, loadTemplate } from './template.js';
import { propertyName, quote, type TypeTextContext, typeText } from './type-text.js';

export interface ComponentEmitContext extends TypeTextContext {
  /** Project-relative posix path of the source file, for provenance. */
  readonly source: string;
  /** Import specifier of the source module from the generated file. */
  readonly classModule: string;
  /** Name under which an `instance` model's class is available as a value (adds the import). */
  readonly classValue: (ref: { name: string; file: string }) => string;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function access(object: string, name: string): string {
  return IDENT.test(name) ? `${object}.${name}` : `${object}[${quote(name)}]`;
}

function localName(field: FieldModel, index: number): string {
  return IDENT.test(field.property) ? `${field.property}$` : `field${index}$`;
}

/** The codec expression a field is validated with, or undefined for nested @stateful fields. */
function fieldCodec(c: ComponentModel, field: FieldModel, ctx: ComponentEmitContext): string | undefined {
  const t = field.type;
  if (t.kind === 'stateful') return undefined;
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'boolean') return `${RT}.${t.kind}`;
  return access(`${c.className}$codecs`, field.property);
}

function needsCodecConst(field: FieldModel): boolean {
  const k = field.type.kind;
  return k !== 'stateful' && k !== 'number' && k !== 'string' && k !== 'boolean';
}

function presence(field: FieldModel): string {
  return field.optional ? `'optional'` : field.undefinable ? `'undefinable'` : `'required'`;
}

function list(items: readonly string[]): string {
  return items.map(quote).join(', ');
}

function block(lines: readonly string[], indent: string): string {
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/** `{ a: T; b?: U }` as an indented member list. */
function members(entries: readonly string[]): string {
  return entries.length === 0 ? '{}' : `{\n${entries.map((e) => `  ${e};`).join('\n')}\n}`;
}

function stateMembers(c: ComponentModel, ctx: ComponentEmitContext): string[] {
  const inherited = new Set(c.base?.fields ?? []);
  return c.fields
    .filter((f) => !inherited.has(f.property))
    .map((f) => `${propertyName(f.key)}${f.undefinable || f.optional ? '?' : ''}: ${typeText(f.type, 'state', ctx)}`);
}

/**
 * The State type: an object type (not an interface, so that it is assignable to index-signature types such as the
 * checkpoint layer's `StateTree`), intersected with the parent's State type for a subclass.
 */
function stateType(c: ComponentModel, ctx: ComponentEmitContext): string {
  const own = stateMembers(c, ctx);
  if (!c.base) return members(own);
  const parent = ctx.ref(c.base.state, true);
  return own.length === 0 ? parent : `${parent} & ${members(own)}`;
}

function viewMembers(c: ComponentModel, ctx: ComponentEmitContext): string[] {
  return c.fields.map(
    (f) => `${propertyName(f.property)}: ${typeText(f.type, 'field', ctx)}${f.undefinable ? ' | undefined' : ''}`,
  );
}

function codecConsts(c: ComponentModel, ctx: ComponentEmitContext): string {
  const entries = c.fields.filter(needsCodecConst).map((f) => {
    if (f.type.kind === 'statefuls') return `  ${propertyName(f.property)}: ${statefulSlotExpr(f.type, typeText(f.type, 'state', ctx))},`;
    const expr = codecExpr(f.type, (m) => ctx.classValue(m.ref));
    const fieldType = typeText(f.type, 'field', ctx);
    const stateType = typeText(f.type, 'state', ctx);
    const types = fieldType === stateType ? fieldType : `${fieldType}, ${stateType}`;
    return `  ${propertyName(f.property)}: ${RT}.typed<${types}>(${expr}),`;
  });
  if (entries.length === 0) return '';
  return `\nconst ${c.className}$codecs = {\n${entries.join('\n')}\n};\n`;
}

/** The saved form of a field's current value. */
function encodeExpr(c: ComponentModel, field: FieldModel, ctx: ComponentEmitContext): string {
  const value = access('s', field.property);
  const t = field.type;
  if (t.kind === 'stateful') return `${RT}.nestedStateDict<${typeText(t, 'state', ctx)}>(${value})`;
  // Tensors are shared, as torch's state_dict shares parameters; primitives need no copy.
  if (t.kind === 'statefuls') return `${fieldCodec(c, field, ctx)}.stateDict(${value})`;
  if (isImmediate(t) || t.kind === 'tensor') return value;
  return `${fieldCodec(c, field, ctx)}.encode(${value})`;
}

/** `stateDict` builds the state in field order; an undefined `?` field is an absent key. */
function stateDictMethod(c: ComponentModel, ctx: ComponentEmitContext): string {
  if (c.fields.length === 0) return `  stateDict() {\n    return {};\n  },`;
  const props = c.fields.map((f) => {
    const key = f.key === '__proto__' ? `[${quote(f.key)}]` : propertyName(f.key);
    const entry = `${key}: ${encodeExpr(c, f, ctx)}`;
    return f.undefinable ? `  ...(${access('s', f.property)} === undefined ? {} : { ${entry} }),` : `  ${entry},`;
  });
  const lines = [`const s = self as unknown as ${c.className}$Fields;`, 'return {', ...props, '};'];
  return `  stateDict(self) {\n${block(lines, '    ')}\n  },`;
}

function prepareLoadMethod(c: ComponentModel, ctx: ComponentEmitContext): string {
  const head = `new ${RT}.StateLoad(self, state, path, options, ${c.className}$keys)`;
  if (c.fields.length === 0) {
    return `  prepareLoad(self, state, path, options) {\n    return ${head}.plan(() => {});\n  },`;
  }
  const lines = [`const s = self as unknown as ${c.className}$Fields;`, `const load = ${head};`];
  const commits: string[] = [];
  c.fields.forEach((f, i) => {
    const args = `${quote(f.key)}, [${list(f.legacyNames)}], ${presence(f)}`;
    const target = access('s', f.property);
    const local = localName(f, i);
    if (f.type.kind === 'stateful') {
      lines.push(`load.stateful(${target}, ${quote(f.type.className)}, ${args});`);
      return;
    }
    const codec = fieldCodec(c, f, ctx)!;
    if (f.type.kind === 'statefuls') {
      lines.push(`load.statefuls(${target}, ${codec}, ${args});`);
      return;
    }
    if (f.type.kind === 'tensor') {
      lines.push(`const ${local} = load.tensor(${args}, ${codec});`);
      const loaded = `${RT}.loadTensorValue(${target}, ${local})`;
      commits.push(`if (${local} !== ${RT}.ABSENT) ${target} = ${f.undefinable ? `${local} === undefined ? undefined : ${loaded}` : loaded};`);
      return;
    }
    lines.push(`const ${local} = load.field(${args}, ${codec});`);
    commits.push(`if (${local} !== ${RT}.ABSENT) ${target} = ${local};`);
  });
  const commit = commits.length === 0 ? `return load.plan(() => {});` : `return load.plan(() => {\n${block(commits, '  ')}\n});`;
  lines.push(...commit.split('\n'));
  return `  prepareLoad(self, state, path, options) {\n${block(lines, '    ')}\n  },`;
}

/** Keys the component accepts on load, in field order (current key, then legacy names). */
function acceptedKeys(c: ComponentModel): string[] {
  const keys: string[] = [];
  for (const f of c.fields) for (const k of [f.key, ...f.legacyNames]) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** `EarlyStopping` → `early_stopping`, the key older checkpoints may use. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export function emitComponent(c: ComponentModel, ctx: ComponentEmitContext): string {
  const stateName = `${c.className}State`;
  const legacyKeys = [...new Set([c.className, snakeCase(c.className), ...c.legacyKeys])];
  const fieldsType =
    c.fields.length === 0
      ? ''
      : fill(loadTemplate('fields-type.ts.tpl'), { className: c.className, viewBody: members(viewMembers(c, ctx)) });
  const support = fill(loadTemplate('support.ts.tpl'), {
    className: c.className,
    fieldsType,
    codecs: codecConsts(c, ctx),
    keys: list(acceptedKeys(c)),
  });
  return fill(loadTemplate('component.ts.tpl'), {
    className: c.className,
    classNameLiteral: quote(c.className),
    stateName,
    source: ctx.source,
    sourceLiteral: quote(ctx.source),
    line: String(c.line),
    stateType: stateType(c, ctx),
    classModule: ctx.classModule,
    support,
    fields: list(c.fields.map((f) => f.property)),
    legacyKeys: list(legacyKeys),
    stateDict: stateDictMethod(c, ctx),
    prepareLoad: prepareLoadMethod(c, ctx),
  });
}
