/**
 * Fields whose type holds `@stateful` classes: directly (`Head`), or in the collections a load can fill in place
 * (`Head | null`, `Head[]`, `readonly Head[]`, `[Head, Body]`, `Record<string, Head>`, `Map<string | number, Head>`).
 * Any other position of a @stateful class (a Set, a union of two classes, an object property, nested collections) is
 * left to the type scanner, which reports KC1012.
 */
import { type ClassDeclaration, Node, type Type } from 'ts-morph';
import type { StatefulModel, TypeModel, TypeRef } from '../model.js';
import { isStatefulDeclaration } from './decorators.js';
import { scanFieldType, type TypeScanContext } from './types.js';

const LIB_FILE = /\/lib\.[\w.]*\.d\.ts$/;

export interface HolderScanContext extends TypeScanContext {
  readonly stateRefOf: (cls: ClassDeclaration) => TypeRef;
}

function statefulClass(type: Type): ClassDeclaration | undefined {
  const cls = type.getSymbol()?.getDeclarations().find(Node.isClassDeclaration);
  return cls && isStatefulDeclaration(cls) ? cls : undefined;
}

function element(type: Type | undefined, ctx: HolderScanContext): StatefulModel | undefined {
  const cls = type && statefulClass(type);
  return cls && { kind: 'stateful', className: cls.getName() ?? 'Anonymous', states: [ctx.stateRefOf(cls)] };
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

function single(type: Type, ctx: HolderScanContext): TypeModel | undefined {
  const direct = element(type, ctx);
  if (direct) return direct;
  if (type.isTuple()) {
    const target = type.getTargetType()?.compilerType as unknown as { elementFlags?: readonly number[]; readonly?: boolean } | undefined;
    // Only fixed-length tuples of required elements (ts.ElementFlags.Required = 1).
    if ((target?.elementFlags ?? []).some((f) => f !== 1)) return undefined;
    const elements = type.getTupleElements().map((t) => element(t, ctx));
    if (elements.length === 0 || elements.some((e) => e === undefined)) return undefined;
    return { kind: 'statefuls', shape: 'tuple', elements: elements as StatefulModel[], readonly: target?.readonly === true };
  }
  if (type.isArray() || type.isReadonlyArray()) {
    const e = element(type.getArrayElementType() ?? type.getTypeArguments()[0], ctx);
    return e && { kind: 'statefuls', shape: 'array', elements: [e], readonly: type.isReadonlyArray() };
  }
  const lib = libName(type);
  if (lib === 'Map' || lib === 'ReadonlyMap') {
    const [keyType, valueType] = type.getTypeArguments();
    const e = element(valueType, ctx);
    if (!e || keyType === undefined || !isPlainKey(keyType)) return undefined;
    const key = scanFieldType(keyType.isUnion() ? keyType.getUnionTypes() : [keyType], keyType, ctx);
    return key && { kind: 'statefuls', shape: 'map', elements: [e], key, readonly: lib === 'ReadonlyMap' };
  }
  // Records and index signatures; lib types such as Set have properties and are left to the type scanner.
  if (type.isObject() && type.getProperties().length === 0 && type.getCallSignatures().length === 0) {
    const e = element(type.getStringIndexType(), ctx);
    return e && { kind: 'statefuls', shape: 'record', elements: [e], readonly: false };
  }
  return undefined;
}

/** The model of a field (type without `undefined`) holding @stateful values, or undefined for any other field. */
export function statefulHolderModel(members: readonly Type[], ctx: HolderScanContext): TypeModel | undefined {
  if (members.length === 1) return single(members[0]!, ctx);
  const rest = members.filter((m) => !m.isNull());
  if (members.length !== 2 || rest.length !== 1) return undefined;
  const e = element(rest[0], ctx);
  return e && { kind: 'statefuls', shape: 'nullable', elements: [e], readonly: false };
}
