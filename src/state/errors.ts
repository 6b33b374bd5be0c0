import { MAX_REPORTED_ISSUES } from './limits.js';
import { describeTensor, isTensor } from './tensor.js';

/** One problem found while validating a state against what a component expects. */
export interface StateIssue {
  /** Where the problem is, e.g. `EarlyStopping.bestScore` or `Adam.moments[3].shape`. */
  readonly path: string;
  /** `type`: a value of the wrong kind; `missing`: a required key is absent; `unexpected`: a key nobody expects. */
  readonly kind: 'type' | 'missing' | 'unexpected';
  /** What was expected, e.g. `number`, `"min" | "max"`, `Tensor<float32>[3, 4]`. Empty for `unexpected`. */
  readonly expected: string;
  /** What was found, as described by {@link describeValue}. */
  readonly actual: string;
}

export function formatIssue(issue: StateIssue): string {
  switch (issue.kind) {
    case 'missing':
      return `${issue.path}: missing (expected ${issue.expected})`;
    case 'unexpected':
      return `${issue.path}: unexpected key (got ${issue.actual})`;
    default:
      return `${issue.path}: expected ${issue.expected}, got ${issue.actual}`;
  }
}

/**
 * The issues of one validation, recorded up to {@link MAX_REPORTED_ISSUES}; later ones are only counted (`omitted`),
 * so a state with ten million wrong elements costs a counter, not ten million issue objects.
 */
export class IssueList extends Array<StateIssue> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  /** Issues counted but not recorded (non-enumerable, so an IssueList compares equal to a plain array of its issues). */
  declare omitted: number;

  constructor(...items: StateIssue[]) {
    super(...items);
    Object.defineProperty(this, 'omitted', { value: 0, writable: true, enumerable: false, configurable: true });
  }

  override push(...items: StateIssue[]): number {
    for (const item of items) {
      if (this.length < MAX_REPORTED_ISSUES) super.push(item);
      else this.omitted++;
    }
    return this.length;
  }
}

/** How many issues a list stands for: those recorded and those an {@link IssueList} only counted. */
export function issueCount(issues: readonly StateIssue[]): number {
  return issues.length + (issues instanceof IssueList ? issues.omitted : 0);
}

/** Appends `source`'s issues (and its count of omitted ones) to `target`. */
export function addIssues(target: StateIssue[], source: readonly StateIssue[]): void {
  if (source.length === 0 && !(source instanceof IssueList && source.omitted > 0)) return;
  target.push(...source);
  if (source instanceof IssueList && source.omitted > 0) {
    if (target instanceof IssueList) target.omitted += source.omitted;
  }
}

const MAX_LISTED = 10;

/**
 * The one error class for state that does not fit: raised before anything is mutated, so the component is exactly
 * as it was. `issues` lists every problem found (validation does not stop at the first one).
 */
export class StateError extends Error {
  override readonly name = 'StateError';
  readonly issues: readonly StateIssue[];
  // Plain fields, not getters: test runners (vitest) assign `expected`/`actual` on errors they format, and a
  // getter-only property would make that assignment throw and hide this error's message.
  /** Path of the first issue. */
  readonly path: string;
  /** What the first issue expected. */
  readonly expected: string;
  /** What the first issue found. */
  readonly actual: string;

  constructor(issues: readonly StateIssue[], hint?: string) {
    const first = issues[0];
    if (first === undefined) throw new Error('StateError needs at least one issue');
    const total = issueCount(issues);
    const lines = issues.slice(0, MAX_LISTED).map(formatIssue);
    if (total > lines.length) lines.push(`… and ${total - lines.length} more`);
    const head = total === 1 ? lines[0] : `${total} problems in state:\n  ${lines.join('\n  ')}`;
    super(hint ? `${head}\n${hint}` : head);
    this.issues = issues;
    this.path = first.path;
    this.expected = first.expected;
    this.actual = first.actual;
  }
}

/**
 * Raised when a class's generated state code no longer matches its decorators, or is missing where it is required.
 * The message names the class and says to run the generator.
 */
export class StaleGenerationError extends Error {
  override readonly name = 'StaleGenerationError';
  constructor(
    readonly className: string,
    detail: string,
  ) {
    super(`${className}: ${detail}. Run \`npm run codegen\` (in your own project: \`npx kindling codegen\`).`);
  }
}

/** A class's state declaration cannot work (e.g. two fields share a state key); raised when the class is defined. */
export class StateDeclarationError extends Error {
  override readonly name = 'StateDeclarationError';
  constructor(
    readonly className: string,
    detail: string,
  ) {
    super(`${className}: ${detail}`);
  }
}

/** A kind name for any value, as used in `expected X, got Y` messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (isTensor(value)) return describeTensor(value);
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (value instanceof Date) return 'Date';
  if (value instanceof Map) return 'Map';
  if (value instanceof Set) return 'Set';
  const t = typeof value;
  if (t === 'number') return Number.isNaN(value) ? 'number (NaN)' : 'number';
  if (t === 'object') {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === null || proto === Object.prototype) return 'object';
    const name = constructorName(value);
    return name ? `${name} instance` : 'object';
  }
  return t;
}

/** The name of the class an object was made by (through its prototype), or undefined when there is none. */
export function constructorName(value: unknown): string | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Extends a path by an object key: `a.b`, or `a["weird key"]` when the key is not an identifier. */
export function joinKey(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Extends a path by an array index: `a[3]`. */
export function joinIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}
