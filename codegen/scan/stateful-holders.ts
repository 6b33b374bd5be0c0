/**
 * Fields whose type holds `@stateful` values: directly (`Head`), or in the collections a load can fill in place
 * (`Head | null`, `Head[]`, `readonly Head[]`, `[Head, Body]`, `Record<string, Head>`, `Map<string | number, Head>`).
 * An element may be one class, any instance of which (a subclass too) is loaded through its own loader, or a union of
 * classes (`(EarlyStopping | Ema)[]`). Any other position of a @stateful class (a Set, an object property, nested
 * collections, `(Head | null)[]`) is left to the type scanner, which reports KC1012.
 */
import { type ClassDeclaration, Node, type Type } from 'ts-morph';
import type { StatefulModel, TypeModel, TypeRef } from '../model.js';
import { scanFieldType, type TypeScanContext } from './types.js';

const LIB_FILE = /\/lib\.[\w.]*\.d\.ts$/;

export interface HolderScanContext extends TypeScanContext {
  /**
   * Where a class's generated State type is imported from: undefined when the class is not @stateful, null when it is
   * but its State cannot be imported (reported by the callee).
   */
  readonly stateOf: (cls: ClassDeclaration) => TypeRef | undefined | null;
}

/** Not a field holding @stateful values (the type scanner takes it). */
const NOT_HOLDER = null;
/** A holder whose State cannot be referenced: already reported. */
const FAILED = undefined;

type Result<T> = T | typeof NOT_HOLDER | typeof FAILED;

function classOf(type: Type): ClassDeclaration | undefined {
  return type.getSymbol()?.getDeclarations().find(Node.isClassDeclaration);
}

/** One @stateful class, or a union of them (every member a @stateful class, sorted by name). */
function element(type: Type | undefined, ctx: HolderScanContext): Result<StatefulModel> {
  return type === undefined ? NOT_HOLDER : classes(type.isUnion() ? type.getUnionTypes() : [type], ctx);
}

function classes(members: readonly Type[], ctx: HolderScanContext): Result<StatefulModel> {
  const classes: { className: string; state: TypeRef | null }[] = [];
  for (const member of members) {
    const cls = classOf(member);
    const state = cls && ctx.stateOf(cls);
    if (cls === undefined || state === undefined) return NOT_HOLDER;
    classes.push({ className: cls.getName() ?? 'Anonymous', state });
  }
  if (classes.some((c) => c.state === null)) return FAILED;
  classes.sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0));
  return { kind: 'stateful', className: classes.map((c) => c.className).join(' | '), states: classes.map((c) => c.state!) };
}

/** A Map key the saved entries can hold as it is: strings, numbers and their literals. */
function isPlainKey(type: Type): boolean {
  const members = type.isUnion() ? type.getUnionTypes() : [type];
  return members.every((m) => m.isString() || m.isNumber() || m.isStringLiteral() || m.isNumberLiteral());
}

function libName(type: Type): string | undefined {
  const symbol = type.getSymbol();
  const file = symbol?.getDeclarations()[0]?.getSourceFile().getFilePath();
  return symbol && file && LIB_FILE.test(file) ? symbol.getName() : undefined;
}

function tuple(type: Type, ctx: HolderScanContext): Result<TypeModel> {
  const target = type.getTargetType()?.compilerType as unknown as { elementFlags?: readonly number[]; readonly?: boolean } | undefined;
  // Only fixed-length tuples of required elements (ts.ElementFlags.Required = 1).
  if ((target?.elementFlags ?? []).some((f) => f !== 1)) return NOT_HOLDER;
  const elements: StatefulModel[] = [];
  let failed = false;
  for (const t of type.getTupleElements()) {
    const e = element(t, ctx);
    if (e === NOT_HOLDER) return NOT_HOLDER;
    if (e === FAILED) failed = true;
    else elements.push(e);
  }
  if (type.getTupleElements().length === 0) return NOT_HOLDER;
  return failed ? FAILED : { kind: 'statefuls', shape: 'tuple', elements, readonly: target?.readonly === true };
}

function single(type: Type, ctx: HolderScanContext): Result<TypeModel> {
  const direct = element(type, ctx);
  if (direct !== NOT_HOLDER) return direct;
  if (type.isTuple()) return tuple(type, ctx);
  if (type.isArray() || type.isReadonlyArray()) {
    const e = element(type.getArrayElementType() ?? type.getTypeArguments()[0], ctx);
    return e && { kind: 'statefuls', shape: 'array', elements: [e], readonly: type.isReadonlyArray() };
  }
  const lib = libName(type);
  if (lib === 'Map' || lib === 'ReadonlyMap') {
    const [keyType, valueType] = type.getTypeArguments();
    const e = element(valueType, ctx);
    if (!e || keyType === undefined || !isPlainKey(keyType)) return e === FAILED ? FAILED : NOT_HOLDER;
    const key = scanFieldType(keyType.isUnion() ? keyType.getUnionTypes() : [keyType], keyType, ctx);
    return key && { kind: 'statefuls', shape: 'map', elements: [e], key, readonly: lib === 'ReadonlyMap' };
  }
  // Records and index signatures; lib types such as Set have properties and are left to the type scanner.
  if (type.isObject() && type.getProperties().length === 0 && type.getCallSignatures().length === 0) {
    const e = element(type.getStringIndexType(), ctx);
    return e && { kind: 'statefuls', shape: 'record', elements: [e], readonly: false };
  }
  return NOT_HOLDER;
}

/**
 * The model of a field (type without `undefined`) holding @stateful values; `null` for any other field, `undefined`
 * when it holds @stateful values whose State cannot be imported (reported).
 */
export function statefulHolderModel(members: readonly Type[], ctx: HolderScanContext): TypeModel | null | undefined {
  const rest = members.filter((m) => !m.isNull());
  if (rest.length === 0) return NOT_HOLDER;
  if (rest.length === members.length) {
    // `Head`, a collection, or `A | B`: a direct field holding one of several @stateful classes.
    return members.length === 1 ? single(members[0]!, ctx) : classes(members, ctx);
  }
  const e = classes(rest, ctx);
  return e && { kind: 'statefuls', shape: 'nullable', elements: [e], readonly: false };
}
