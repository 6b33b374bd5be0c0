/**
 * Reads `@stateful(...)` and `@persist(...)` statically. Options must be literals: the generator cannot evaluate code,
 * and a computed key would make the generated state silently differ from the run-time one.
 */
import { type ClassDeclaration, type Decorator, type Expression, Node } from 'ts-morph';

export interface PersistDecoratorOptions {
  readonly name?: string;
  readonly legacyNames: readonly string[];
  readonly optional: boolean;
  readonly opaque: boolean;
  readonly resizable: boolean;
  /** `codec: someKind` (any expression: the kind object is only known at run time). */
  readonly codec: boolean;
  /** `type: () => C`: the class C. */
  readonly typeClass?: ClassDeclaration;
}

export interface StatefulDecoratorOptions {
  /** The identifier passed as the generated state (`@stateful(XState)`), if any. */
  readonly generatedName?: string;
  readonly legacyKeys: readonly string[];
}

/** A problem with one option, reported by the caller as KC1008 at `node`. */
export interface OptionProblem {
  readonly node: Node;
  readonly reason: string;
}

export function findDecorator(node: { getDecorators(): Decorator[] }, name: string): Decorator | undefined {
  return node.getDecorators().find((d) => d.getName() === name);
}

function stringOf(expr: Expression): string | undefined {
  return Node.isStringLiteral(expr) || Node.isNoSubstitutionTemplateLiteral(expr) ? expr.getLiteralValue() : undefined;
}

function stringsOf(expr: Expression): string[] | undefined {
  if (!Node.isArrayLiteralExpression(expr)) return undefined;
  const out: string[] = [];
  for (const e of expr.getElements()) {
    const s = stringOf(e);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

function booleanOf(expr: Expression): boolean | undefined {
  if (Node.isTrueLiteral(expr)) return true;
  if (Node.isFalseLiteral(expr)) return false;
  return undefined;
}

/** The literal properties of an options object; problems for anything that is not a literal property. */
function optionEntries(arg: Node | undefined, problems: OptionProblem[]): Map<string, Expression> {
  const entries = new Map<string, Expression>();
  if (arg === undefined) return entries;
  if (!Node.isObjectLiteralExpression(arg)) {
    problems.push({ node: arg, reason: `options must be an object literal, got \`${arg.getText()}\`` });
    return entries;
  }
  for (const p of arg.getProperties()) {
    if (Node.isPropertyAssignment(p)) entries.set(p.getName(), p.getInitializerOrThrow());
    else problems.push({ node: p, reason: `option \`${p.getText()}\` must be written as \`name: value\`` });
  }
  return entries;
}

export function readPersistOptions(decorator: Decorator, problems: OptionProblem[]): PersistDecoratorOptions {
  const entries = optionEntries(decorator.getArguments()[0], problems);
  let name: string | undefined;
  let legacyNames: string[] = [];
  let optional = false;
  let opaque = false;
  let resizable = false;
  let codec = false;
  let typeClass: ClassDeclaration | undefined;
  for (const [key, expr] of entries) {
    switch (key) {
      case 'name':
        name = stringOf(expr);
        if (name === undefined) problems.push({ node: expr, reason: '`name` must be a string literal' });
        break;
      case 'legacyNames': {
        const list = stringsOf(expr);
        if (list === undefined) problems.push({ node: expr, reason: '`legacyNames` must be an array of string literals' });
        else legacyNames = list;
        break;
      }
      case 'optional':
      case 'opaque':
      case 'resizable': {
        const b = booleanOf(expr);
        if (b === undefined) problems.push({ node: expr, reason: `\`${key}\` must be true or false` });
        else if (key === 'optional') optional = b;
        else if (key === 'opaque') opaque = b;
        else resizable = b;
        break;
      }
      case 'codec':
        codec = true;
        break;
      case 'type':
        typeClass = classOfThunk(expr);
        if (typeClass === undefined) problems.push({ node: expr, reason: '`type` must be written `() => SomeClass`' });
        break;
      default:
        problems.push({ node: expr, reason: `unknown @persist option \`${key}\`` });
    }
  }
  return { ...(name !== undefined ? { name } : {}), legacyNames, optional, opaque, resizable, codec, ...(typeClass ? { typeClass } : {}) };
}

function classOfThunk(expr: Expression): ClassDeclaration | undefined {
  if (!Node.isArrowFunction(expr)) return undefined;
  const body = expr.getBody();
  if (!Node.isIdentifier(body)) return undefined;
  const symbol = body.getSymbol();
  const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
  return target?.getDeclarations().find(Node.isClassDeclaration);
}

export function readStatefulOptions(decorator: Decorator, problems: OptionProblem[]): StatefulDecoratorOptions {
  const [first, second] = decorator.getArguments();
  let generatedName: string | undefined;
  if (first !== undefined && first.getText() !== 'undefined') {
    if (Node.isIdentifier(first)) generatedName = first.getText();
    else problems.push({ node: first, reason: 'the generated state must be passed as an identifier: @stateful(XState)' });
  }
  const entries = optionEntries(second, problems);
  let legacyKeys: string[] = [];
  for (const [key, expr] of entries) {
    if (key === 'legacyKeys') {
      const list = stringsOf(expr);
      if (list === undefined) problems.push({ node: expr, reason: '`legacyKeys` must be an array of string literals' });
      else legacyKeys = list;
    } else {
      problems.push({ node: expr, reason: `unknown @stateful option \`${key}\`` });
    }
  }
  return { ...(generatedName !== undefined ? { generatedName } : {}), legacyKeys };
}

/** Whether a class declaration carries `@stateful`. */
export function isStatefulDeclaration(cls: ClassDeclaration): boolean {
  return findDecorator(cls, 'stateful') !== undefined;
}
