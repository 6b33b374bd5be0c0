/**
 * The `design:type` a field's annotation gets from every toolchain that emits one, for the run-time freshness check.
 * tsc and oxc (vitest) agree on keyword primitives, literal types, arrays and tuples, and the global Map, Set and
 * Date; they disagree on aliases and enums (oxc compiles files in isolation) and both say `Object` for unions, object
 * types and fields without an annotation, which tells nothing. Only the agreed cases get a design type; the rest are
 * left to `kindling codegen --check`. (tsx emits no design types at all; the run-time check then skips the field.)
 */
import { Node, type PropertyDeclaration, SyntaxKind, type TypeNode } from 'ts-morph';
import type { DesignTypeName } from '../../src/state/codec.js';

const LIB_FILE = /\/lib\.[\w.]*\.d\.ts$/;

const KEYWORDS: ReadonlyMap<SyntaxKind, DesignTypeName> = new Map([
  [SyntaxKind.NumberKeyword, 'Number'],
  [SyntaxKind.StringKeyword, 'String'],
  [SyntaxKind.BooleanKeyword, 'Boolean'],
  [SyntaxKind.BigIntKeyword, 'BigInt'],
]);

function literalDesign(node: TypeNode): DesignTypeName | undefined {
  if (!Node.isLiteralTypeNode(node)) return undefined;
  const literal = node.getLiteral();
  if (Node.isStringLiteral(literal)) return 'String';
  if (Node.isNumericLiteral(literal)) return 'Number';
  if (Node.isTrueLiteral(literal) || Node.isFalseLiteral(literal)) return 'Boolean';
  return undefined;
}

function designOf(node: TypeNode): DesignTypeName | undefined {
  const keyword = KEYWORDS.get(node.getKind());
  if (keyword !== undefined) return keyword;
  const literal = literalDesign(node);
  if (literal !== undefined) return literal;
  if (Node.isUnionTypeNode(node)) {
    // A union of literals of one primitive (`'min' | 'max'`) is that primitive for both.
    const members = node.getTypeNodes().map(literalDesign);
    const first = members[0];
    return first !== undefined && members.every((m) => m === first) ? first : undefined;
  }
  if (Node.isArrayTypeNode(node) || Node.isTupleTypeNode(node)) return 'Array';
  if (Node.isTypeOperatorTypeNode(node) && node.getOperator() === SyntaxKind.ReadonlyKeyword) {
    const inner = node.getTypeNode();
    return Node.isArrayTypeNode(inner) || Node.isTupleTypeNode(inner) ? 'Array' : undefined;
  }
  if (Node.isTypeReference(node)) {
    const name = node.getTypeName().getText();
    if (name !== 'Array' && name !== 'Map' && name !== 'Set' && name !== 'Date') return undefined;
    // The global one, not a class of the same name.
    const declarations = node.getTypeName().getSymbol()?.getDeclarations() ?? [];
    if (declarations.length === 0 || !declarations.every((d) => LIB_FILE.test(d.getSourceFile().getFilePath()))) return undefined;
    return name;
  }
  return undefined;
}

export function designTypeOf(prop: PropertyDeclaration): DesignTypeName | undefined {
  const node = prop.getTypeNode();
  return node === undefined ? undefined : designOf(node);
}
