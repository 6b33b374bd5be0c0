/**
 * Static field types → {@link TypeModel}. This is where "what can be saved" is decided: anything the state contract
 * has no encoding for becomes a diagnostic that says what to do, never a silent `unknown`.
 */
import { type ClassDeclaration, Node, type Symbol as MorphSymbol, type Type, TypeFlags, TypeFormatFlags } from 'ts-morph';
import type { DiagnosticCode } from '../diagnostics.js';
import type { PropertyModel, TupleElement, TypeModel, TypeRef } from '../model.js';

export interface TypeScanContext {
  /** Node types are resolved at and diagnostics point to (the field declaration). */
  readonly at: Node;
  readonly report: (code: DiagnosticCode, reason: string) => void;
  /** A reference to an importable declaration (exported from a project file), or undefined. */
  readonly refTo: (declaration: Node, name: string) => TypeRef | undefined;
  /** Whether a declaration is kindling's `Tensor` (see kindling-symbols.ts). */
  readonly isTensor: (declaration: Node) => boolean;
  /** The value kind a type is branded with (`ValueKindBrand<'kindling.Parameter'>`), if any. */
  readonly valueKindOf: (type: Type) => string | undefined;
  /** Whether a class is `@stateful` (in the project, or a library class with generated state). */
  readonly isStateful: (cls: ClassDeclaration) => boolean;
}

const LIB_FILE = /\/lib\.[\w.]*\.d\.ts$/;
const ALL_DTYPES = 13;

function typeText(type: Type, at: Node): string {
  return type.getText(at, TypeFormatFlags.UseAliasDefinedOutsideCurrentScope | TypeFormatFlags.NoTruncation);
}

function typeId(type: Type): number {
  return (type.compilerType as unknown as { id: number }).id;
}

/** Union members without `undefined`, and whether it was there. */
export function withoutUndefined(type: Type): { members: Type[]; hadUndefined: boolean } {
  const all = type.isUnion() && !type.isEnum() && !type.isBoolean() ? type.getUnionTypes() : [type];
  const members = all.filter((t) => !t.isUndefined());
  return { members, hadUndefined: members.length !== all.length };
}

class TypeScanner {
  private readonly stack: number[] = [];

  constructor(private readonly ctx: TypeScanContext) {}

  private fail(code: DiagnosticCode, type: Type, what: string, where: string): undefined {
    const inPart = where ? ` (in ${where})` : '';
    this.ctx.report(code, `type \`${typeText(type, this.ctx.at)}\`${inPart} ${what}`);
    return undefined;
  }

  /** A type; `where` names the position inside the field for messages (`element`, `.address`, `map key`). */
  scan(type: Type, where: string): TypeModel | undefined {
    if (type.isUnion() && !type.isBoolean()) return this.scanUnion(type.getUnionTypes(), type, where);
    return this.scanSingle(type, where);
  }

  /** A union given as its members (booleans collapse, enums regroup, `undefined` must have been removed). */
  scanUnion(members: readonly Type[], whole: Type, where: string): TypeModel | undefined {
    // Several @stateful classes in an unsupported position are one mistake: report it once, naming them all.
    const statefuls = members.flatMap((m) => {
      const cls = m.getSymbol()?.getDeclarations().find(Node.isClassDeclaration);
      return cls !== undefined && this.ctx.isStateful(cls) ? [cls.getName() ?? '(anonymous)'] : [];
    });
    if (statefuls.length > 1) {
      const names = statefuls.join(', ');
      return this.fail('KC1012', whole, `holds the @stateful classes ${names}`, where || 'a union');
    }
    const out: TypeModel[] = [];
    const enumGroups = new Map<Node, Type[]>();
    let sawTrue = false;
    let sawFalse = false;
    let ok = true;
    for (const m of members) {
      if (m.isBooleanLiteral()) {
        if (m.getText() === 'true') sawTrue = true;
        else sawFalse = true;
        continue;
      }
      if (m.isEnumLiteral()) {
        const parent = enumOf(m);
        if (parent) {
          enumGroups.set(parent, [...(enumGroups.get(parent) ?? []), m]);
          continue;
        }
      }
      const model = this.scanSingle(m, where);
      if (model === undefined) ok = false;
      else out.push(model);
    }
    if (!ok) return undefined;
    if (sawTrue && sawFalse) out.unshift({ kind: 'boolean' });
    else if (sawTrue || sawFalse) out.unshift({ kind: 'literal', value: sawTrue });
    for (const [decl, literals] of enumGroups) out.push(this.enumModel(decl, literals));
    if (out.length === 1) return out[0];
    sortMembers(out);
    const nonNull = out.filter((m) => m.kind !== 'null');
    if (nonNull.length > 1 && !nonNull.every(isPlain)) {
      return this.fail('KC1014', whole, 'mixes members that cannot be told apart once saved', where);
    }
    return { kind: 'union', members: out };
  }

  private enumModel(decl: Node, literals: Type[]): TypeModel {
    const values = literals.map((l) => l.getLiteralValue() as string | number);
    if (!Node.isEnumDeclaration(decl)) return { kind: 'union', members: values.map((value) => ({ kind: 'literal', value })) };
    const name = decl.getName();
    const ref = this.ctx.refTo(decl, name);
    // Declaration order, not the checker's union order (which depends on the rest of the program).
    const all = decl.getMembers();
    const chosen = all.filter((m) => values.includes(m.getValue() as string | number));
    const subset = chosen.length < all.length;
    return {
      kind: 'enum',
      name,
      values: chosen.map((m) => m.getValue() as string | number),
      ...(ref ? { ref } : {}),
      ...(subset ? { members: chosen.map((m) => m.getName()) } : {}),
    };
  }

  private scanSingle(type: Type, where: string): TypeModel | undefined {
    const flags = type.getFlags();
    if (type.isAny() || type.isUnknown()) return this.fail('KC1003', type, 'has no checkable shape', where);
    if (type.isTypeParameter()) return this.fail('KC1013', type, 'is a type parameter', where);
    if (type.isNull()) return { kind: 'null' };
    if (type.isUndefined()) return this.fail('KC1015', type, 'is undefined, which a saved array or value cannot hold', where);
    // Before the literal checks: an enum member's type is also a string or number literal type.
    if (type.isEnumLiteral()) {
      const parent = enumOf(type);
      if (parent) return this.enumModel(parent, [type]);
    }
    if (type.isNumber()) return { kind: 'number' };
    if (type.isString()) return { kind: 'string' };
    if (type.isBoolean()) return { kind: 'boolean' };
    if (type.isBigInt() || type.isBigIntLiteral()) return { kind: 'bigint' };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { kind: 'literal', value: type.getLiteralValue() as string | number };
    if (type.isBooleanLiteral()) return { kind: 'literal', value: type.getText() === 'true' };
    if (flags & TypeFlags.ESSymbolLike) return this.fail('KC1002', type, 'is a symbol', where);
    if (flags & TypeFlags.NonPrimitive) return this.fail('KC1003', type, 'has no checkable shape', where);
    if (type.isTemplateLiteral()) return this.fail('KC1015', type, 'is a template literal type', where);
    if (type.isIntersection()) {
      // A branded primitive (`number & { readonly __brand: 'Seconds' }`) is saved as the primitive.
      const primitives = type.getIntersectionTypes().filter((t) => !t.isObject());
      if (primitives.length === 1) return this.scanSingle(primitives[0]!, where);
    }
    if (!type.isObject() && !type.isIntersection()) return this.fail('KC1015', type, 'cannot be saved', where);
    if (type.getCallSignatures().length > 0) return this.fail('KC1001', type, 'is a function', where);
    if (type.getConstructSignatures().length > 0) return this.fail('KC1015', type, 'is a class constructor', where);
    if (type.isTuple()) return this.scanTuple(type, where);
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
      if (element === undefined) return this.fail('KC1015', type, 'has no element type', where);
      const model = this.scan(element, joinWhere(where, 'element'));
      return model && { kind: 'array', element: model, readonly: type.isReadonlyArray() };
    }
    const special = this.scanNamed(type, where);
    if (special !== null) return special;
    return this.scanObject(type, where);
  }

  /** Tensor, Map, Set, Date, classes and other library types; null when the type is an ordinary object type. */
  private scanNamed(type: Type, where: string): TypeModel | undefined | null {
    const kindName = this.ctx.valueKindOf(type);
    if (kindName !== undefined) return { kind: 'valueKind', name: kindName };
    const symbol = type.getSymbol();
    const decl = symbol?.getDeclarations()[0];
    if (symbol === undefined || decl === undefined) return null;
    const file = decl.getSourceFile().getFilePath();
    const name = symbol.getName();
    // Anonymous and mapped types (`Record<K, V>`, object literal types) are ordinary objects, wherever declared.
    if (name === '__type' || name === '__object') return null;
    if (this.ctx.isTensor(decl)) return { kind: 'tensor', dtypes: dtypesOf(type) };
    if (LIB_FILE.test(file)) {
      const args = type.getTypeArguments();
      switch (name) {
        case 'Date':
          return { kind: 'date' };
        case 'Map':
        case 'ReadonlyMap': {
          const key = args[0] && this.scan(args[0], joinWhere(where, 'map key'));
          const value = args[1] && this.scan(args[1], joinWhere(where, 'map value'));
          return key && value ? { kind: 'map', key, value, readonly: name === 'ReadonlyMap' } : undefined;
        }
        case 'Set':
        case 'ReadonlySet': {
          const element = args[0] && this.scan(args[0], joinWhere(where, 'set item'));
          return element ? { kind: 'set', element, readonly: name === 'ReadonlySet' } : undefined;
        }
        case 'Object':
          return this.fail('KC1003', type, 'has no checkable shape', where);
        default:
          return this.fail('KC1015', type, `is a ${name}, which has no state encoding`, where);
      }
    }
    const cls = symbol.getDeclarations().find(Node.isClassDeclaration);
    if (cls !== undefined) {
      if (this.ctx.isStateful(cls)) {
        return this.fail('KC1012', type, `is the @stateful class ${cls.getName() ?? '(anonymous)'}`, where || 'a union');
      }
      return this.fail('KC1004', type, `is an instance of class ${cls.getName() ?? '(anonymous)'}`, where);
    }
    return null;
  }

  private scanTuple(type: Type, where: string): TypeModel | undefined {
    const target = type.getTargetType()?.compilerType as unknown as
      | { elementFlags?: readonly number[]; readonly?: boolean }
      | undefined;
    const flags = target?.elementFlags ?? [];
    // ts.ElementFlags: Required 1, Optional 2, Rest 4, Variadic 8.
    if (flags.some((f) => (f & 12) !== 0)) return this.fail('KC1016', type, 'has a rest element', where);
    const elements: TupleElement[] = [];
    let ok = true;
    type.getTupleElements().forEach((element, i) => {
      const optional = ((flags[i] ?? 1) & 2) !== 0;
      const { members } = optional ? withoutUndefined(element) : { members: [element] };
      const at = joinWhere(where, `[${i}]`);
      const model = members.length === 1 ? this.scan(members[0]!, at) : this.scanUnion(members, element, at);
      if (model === undefined) ok = false;
      else elements.push({ type: model, optional });
    });
    return ok ? { kind: 'tuple', elements, readonly: target?.readonly === true } : undefined;
  }

  private scanObject(type: Type, where: string): TypeModel | undefined {
    const id = typeId(type);
    if (this.stack.includes(id)) return this.fail('KC1010', type, 'refers to itself', where);
    this.stack.push(id);
    try {
      const properties: PropertyModel[] = [];
      let ok = true;
      for (const p of type.getProperties()) {
        const model = this.scanProperty(p, where);
        if (model === undefined) ok = false;
        else properties.push(model);
      }
      const indexType = type.getStringIndexType() ?? type.getNumberIndexType();
      let index: TypeModel | undefined;
      if (indexType !== undefined) {
        const { members } = withoutUndefined(indexType);
        const at = joinWhere(where, '[key]');
        index = members.length === 1 ? this.scan(members[0]!, at) : this.scanUnion(members, indexType, at);
        if (index === undefined) ok = false;
      }
      if (!ok) return undefined;
      return { kind: 'object', properties, ...(index ? { index } : {}) };
    } finally {
      this.stack.pop();
    }
  }

  private scanProperty(p: MorphSymbol, where: string): PropertyModel | undefined {
    const name = p.getName();
    const at = joinWhere(where, `.${name}`);
    if (name.startsWith('__@') || name.startsWith('#')) {
      this.ctx.report('KC1002', `property ${name} (in ${at}) has a symbol or #private key`);
      return undefined;
    }
    const type = p.getTypeAtLocation(this.ctx.at);
    const { members, hadUndefined } = withoutUndefined(type);
    const model = members.length === 1 ? this.scan(members[0]!, at) : this.scanUnion(members, type, at);
    return model && { name, type: model, optional: hadUndefined || p.isOptional() };
  }
}

const RANK: Readonly<Record<TypeModel['kind'], number>> = {
  string: 0, number: 1, boolean: 2, bigint: 3, literal: 4, enum: 5, date: 6, tensor: 7, array: 8, tuple: 9,
  object: 10, map: 11, set: 12, stateful: 13, statefuls: 14, instance: 15, opaque: 16, valueKind: 17, union: 18, null: 19,
};

/**
 * Union members in a canonical order (by kind, then value), `null` last. The checker orders unions by internal type
 * ids, which depend on what else the program contains; the output must not.
 */
function sortMembers(members: TypeModel[]): void {
  const key = (m: TypeModel) => (m.kind === 'literal' ? `${typeof m.value}:${String(m.value)}` : JSON.stringify(m));
  members.sort((a, b) => RANK[a.kind] - RANK[b.kind] || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function joinWhere(where: string, part: string): string {
  if (!where) return part.startsWith('.') ? part.slice(1) : part;
  return part.startsWith('.') || part.startsWith('[') ? `${where}${part}` : `${where} ${part}`;
}

function enumOf(literal: Type): Node | undefined {
  const member = literal.getSymbol()?.getDeclarations()[0];
  const parent = member?.getParent();
  return parent && Node.isEnumDeclaration(parent) ? parent : undefined;
}

function dtypesOf(type: Type): string[] {
  const arg = type.getTypeArguments()[0] ?? type.getAliasTypeArguments()[0];
  if (arg === undefined) return [];
  // `Tensor` without an argument (or with the whole DType union) accepts any dtype.
  const decl = type.getSymbol()?.getDeclarations().find(Node.isInterfaceDeclaration);
  const constraint = decl?.getTypeParameters()[0]?.getConstraint()?.getType();
  if (constraint !== undefined && constraint.compilerType === arg.compilerType) return [];
  const members = arg.isUnion() ? arg.getUnionTypes() : [arg];
  if (members.length >= ALL_DTYPES || !members.every((m) => m.isStringLiteral())) return [];
  return members.map((m) => m.getLiteralValue() as string).sort();
}

/** Whether values of this model are plain data whose saved form is the value itself (so unions can hold them). */
export function isPlain(model: TypeModel): boolean {
  switch (model.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'literal':
    case 'enum':
      return true;
    case 'array':
      return isPlain(model.element);
    case 'tuple':
      return model.elements.every((e) => isPlain(e.type));
    case 'object':
      return model.properties.every((p) => isPlain(p.type)) && (model.index === undefined || isPlain(model.index));
    case 'union':
      return model.members.every(isPlain);
    default:
      return false;
  }
}

/** A field's declared type (without `undefined`) → model, or undefined after reporting why it cannot be saved. */
export function scanFieldType(members: readonly Type[], whole: Type, ctx: TypeScanContext): TypeModel | undefined {
  const scanner = new TypeScanner(ctx);
  return members.length === 1 ? scanner.scan(members[0]!, '') : scanner.scanUnion(members, whole, '');
}
