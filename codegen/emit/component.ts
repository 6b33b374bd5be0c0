/**
 * One component → its part of the generated file: the State type, the module augmentation that types
 * `stateDict()`/`loadStateDict()`, and the `XState` value with straight-line `stateDict`/`loadFields` functions.
 */
import type { ComponentModel, FieldModel } from '../model.js';
import { codecExpr, isImmediate, needsPlace, placerExpr, statefulSlotExpr } from './codec-expr.js';
import { rt } from './runtime.js';
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
function fieldCodec(c: ComponentModel, field: FieldModel): string | undefined {
  const t = field.type;
  if (t.kind === 'stateful') return undefined;
  if (isFieldCodec(field)) return customCodec(field);
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'boolean') return rt(t.kind);
  return access(`${c.className}$codecs`, field.property);
}

function needsCodecConst(field: FieldModel): boolean {
  const k = field.type.kind;
  return k !== 'stateful' && k !== 'number' && k !== 'string' && k !== 'boolean' && !isFieldCodec(field);
}

/** A `@persist({ codec })` field: its kind object exists only at run time, in the field's metadata. */
function isFieldCodec(field: FieldModel): boolean {
  return field.type.kind === 'valueKind' && field.type.name === undefined;
}

function customCodec(field: FieldModel): string {
  return `${rt('persistedCodec')}(self, ${quote(field.property)})`;
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
 * checkpoint layer's `StateTree`), intersected with the parent's State type for a subclass (a project class's, or a
 * library class's it composes with).
 */
function stateType(c: ComponentModel, ctx: ComponentEmitContext): string {
  const own = stateMembers(c, ctx);
  const parentRef = c.base?.state ?? c.composes?.state;
  if (!parentRef) return members(own);
  const parent = ctx.ref(parentRef, true);
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
    const valueName = (m: { ref: { name: string; file: string } }) => ctx.classValue(m.ref);
    const place = needsPlace(f.type);
    const expr = place
      ? placerExpr(f.type, { resizable: f.resizable === true, fieldCodec: customCodec(f), valueName })
      : codecExpr(f.type, valueName);
    const fieldType = typeText(f.type, 'field', ctx);
    const stateType = typeText(f.type, 'state', ctx);
    const types = fieldType === stateType ? fieldType : `${fieldType}, ${stateType}`;
    return `  ${propertyName(f.property)}: ${rt(place ? 'typedPlacer' : 'typed')}<${types}>(${expr}),`;
  });
  if (entries.length === 0) return '';
  return `\nconst ${c.className}$codecs = {\n${entries.join('\n')}\n};\n`;
}

/** The saved form of a field's current value. */
function encodeExpr(c: ComponentModel, field: FieldModel, ctx: ComponentEmitContext): string {
  const value = access('s', field.property);
  const t = field.type;
  if (t.kind === 'stateful') return `${rt('nestedStateDict')}<${typeText(t, 'state', ctx)}>(${value}, ${quote(field.key)})`;
  // Tensors are shared, as torch's state_dict shares parameters; primitives need no copy.
  if (t.kind === 'statefuls') return `${fieldCodec(c, field)}.stateDict(${value}, ${quote(field.key)})`;
  if (isImmediate(t) || t.kind === 'tensor') return value;
  return `${fieldCodec(c, field)}.encode(${value})`;
}

/**
 * `stateDict` builds the state in field order (a composed library base's state first); an undefined `?` field is an
 * absent key.
 */
function stateDictMethod(c: ComponentModel, ctx: ComponentEmitContext): string {
  const base = c.composes && `...${ctx.ref(c.composes.state, false)}.stateDict(self),`;
  if (c.fields.length === 0) {
    const body = base ? `return ${ctx.ref(c.composes!.state, false)}.stateDict(self);` : 'return {};';
    return `  stateDict(${base ? 'self' : ''}) {\n    ${body}\n  },`;
  }
  const props = c.fields.map((f) => {
    const key = f.key === '__proto__' ? `[${quote(f.key)}]` : propertyName(f.key);
    const entry = `${key}: ${encodeExpr(c, f, ctx)}`;
    return f.undefinable ? `  ...(${access('s', f.property)} === undefined ? {} : { ${entry} }),` : `  ${entry},`;
  });
  const lines = [`const s = self as unknown as ${c.className}$Fields;`, 'return {', ...(base ? [`  ${base}`] : []), ...props, '};'];
  return `  stateDict(self) {\n${block(lines, '    ')}\n  },`;
}

/**
 * `loadFields` reads and validates every field from the load it is given (started by `prepareLoad` with this class's
 * keys, or by a subclass composing with this class) and returns the commit, which only assigns.
 */
function loadFieldsMethod(c: ComponentModel, ctx: ComponentEmitContext): string {
  const lines = c.fields.length > 0 ? [`const s = self as unknown as ${c.className}$Fields;`] : [];
  const commits: string[] = [];
  if (c.composes) {
    lines.push(`const base$ = ${rt('loadBase')}(${ctx.ref(c.composes.state, false)}, self, load);`);
    commits.push('base$();');
  }
  c.fields.forEach((f, i) => {
    const args = `${quote(f.key)}, [${list(f.legacyNames)}], ${presence(f)}`;
    const target = access('s', f.property);
    const local = localName(f, i);
    if (f.type.kind === 'stateful') {
      lines.push(`load.stateful(${target}, ${quote(f.type.className)}, ${args});`);
      return;
    }
    const codec = fieldCodec(c, f)!;
    if (f.type.kind === 'statefuls') {
      lines.push(`load.statefuls(${target}, ${codec}, ${args});`);
      return;
    }
    if (needsPlace(f.type)) {
      // Validated against the live value now; the commit applies it (filling tensors in place).
      lines.push(`const ${local} = load.place(${args}, ${codec}, ${target});`);
      commits.push(`if (${local} !== ${rt('ABSENT')}) ${target} = ${local}();`);
      return;
    }
    lines.push(`const ${local} = load.field(${args}, ${codec});`);
    commits.push(`if (${local} !== ${rt('ABSENT')}) ${target} = ${local};`);
  });
  const params = lines.length > 0 ? 'self, load' : '';
  lines.push(commits.length === 0 ? 'return () => {};' : `return () => {\n${block(commits, '  ')}\n};`);
  return `  loadFields(${params}) {\n${block(lines.join('\n').split('\n'), '    ')}\n  },`;
}

/** Keys the component accepts on load, in field order (current key, then legacy names). */
function acceptedKeys(c: ComponentModel): string[] {
  const keys: string[] = [];
  for (const f of c.fields) for (const k of [f.key, ...f.legacyNames]) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** What the decorator compares with the `@persist` metadata when the class is defined (see `FieldFingerprint`). */
function fingerprint(f: FieldModel): string {
  const parts: string[] = [];
  if (f.key !== f.property) parts.push(`key: ${quote(f.key)}`);
  if (f.legacyNames.length > 0) parts.push(`legacyNames: [${list(f.legacyNames)}]`);
  if (f.optional) parts.push('optional: true');
  if (f.opaque) parts.push('opaque: true');
  if (f.converted) parts.push('instance: true');
  if (f.resizable) parts.push('resizable: true');
  if (f.codec) parts.push('codec: true');
  if (f.design) parts.push(`design: ${quote(f.design)}`);
  return parts.length === 0 ? quote(f.property) : `{ property: ${quote(f.property)}, ${parts.join(', ')} }`;
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
  return fill(loadTemplate('component.ts.tpl'), {
    className: c.className,
    classNameLiteral: quote(c.className),
    stateName,
    source: ctx.source,
    sourceLiteral: quote(ctx.source),
    stateType: stateType(c, ctx),
    classModule: ctx.classModule,
    loadOptions: rt('LoadOptions'),
    loadResult: rt('LoadResult'),
    support: `${fieldsType}${codecConsts(c, ctx)}`,
    generatedType: rt('GeneratedStateWithShims'),
    defineState: rt('defineState'),
    base: c.composes ? `  base: ${ctx.ref(c.composes.state, false)},\n` : '',
    fields: c.fields.map(fingerprint).join(', '),
    legacyKeys: list(legacyKeys),
    keys: list(acceptedKeys(c)),
    stateDict: stateDictMethod(c, ctx),
    loadFields: loadFieldsMethod(c, ctx),
  });
}
