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

/** The counts of issues an {@link IssueList} did not record, kept aside: most lists never omit anything. */
const omittedCounts = new WeakMap<IssueList, number>();

/**
 * The issues of one validation, recorded up to {@link MAX_REPORTED_ISSUES}; later ones are only counted (`omitted`),
 * so a state with ten million wrong elements costs a counter, not ten million issue objects.
 */
export class IssueList extends Array<StateIssue> {
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  // An explicit constructor without parameters: the implicit `constructor(...args)` of an Array subclass, and a
  // defineProperty per instance, made each list cost 0.1–0.6 µs, paid twice by every load (measured, BENCHMARKS.md).
  constructor() {
    super();
  }

  /**
   * Issues counted but not recorded. An accessor on the prototype, so an IssueList still compares equal to a plain
   * array of its issues, and keeps no own property.
   */
  get omitted(): number {
    return omittedCounts.get(this) ?? 0;
  }

  set omitted(count: number) {
    omittedCounts.set(this, count);
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
    const tail = [...suggestFixes(issues), ...(hint ? [hint] : [])];
    super(tail.length > 0 ? `${head}\n${tail.join('\n')}` : head);
    this.issues = issues;
    this.path = first.path;
    this.expected = first.expected;
    this.actual = first.actual;
  }
}

/** `a.b` → [`a`, `b`]; `a["x y"]` → [`a`, `x y`]; an index or the root → undefined. */
function splitPath(path: string): [string, string] | undefined {
  const quoted = /^(.*)\[("(?:[^"\\]|\\.)*")\]$/.exec(path);
  if (quoted) return [quoted[1]!, JSON.parse(quoted[2]!) as string];
  const dot = path.lastIndexOf('.');
  if (dot <= 0 || path.endsWith(']')) return undefined;
  return [path.slice(0, dot), path.slice(dot + 1)];
}

/** Whether a value described as `actual` could be what `expected` describes (a renamed key keeps its type). */
function compatible(expected: string, actual: string): boolean {
  const kinds = expected.split(' | ').map((e) => e.trim());
  return kinds.some(
    (e) =>
      e === actual ||
      actual.startsWith(e) ||
      (e.startsWith('"') && actual === 'string') ||
      (/^-?[0-9]/.test(e) && actual.startsWith('number')) ||
      (e.endsWith('[]') && actual === 'array') ||
      (/^\[/.test(e) && actual === 'array') ||
      ((e === 'object' || e.endsWith(' state') || e.startsWith('Record<') || e.startsWith('{')) && actual === 'object') ||
      (/^(Tensor|[a-z0-9]+\[)/.test(e) && actual.startsWith('Tensor')),
  );
}

/**
 * The fix a load error most likely needs, as lines for its message: one missing and one unexpected key of compatible
 * types in the same object look like a renamed field; a missing key alone like a field added since the checkpoint.
 */
export function suggestFixes(issues: readonly StateIssue[]): string[] {
  const byParent = new Map<string, { missing: StateIssue[]; unexpected: StateIssue[] }>();
  for (const issue of issues) {
    if (issue.kind === 'type') continue;
    const parts = splitPath(issue.path);
    if (parts === undefined) continue;
    const group = byParent.get(parts[0]) ?? { missing: [], unexpected: [] };
    group[issue.kind].push(issue);
    byParent.set(parts[0], group);
  }
  const out: string[] = [];
  let added = false;
  for (const { missing, unexpected } of byParent.values()) {
    const [gone, extra] = [missing[0], unexpected[0]];
    if (missing.length === 1 && unexpected.length === 1 && gone && extra && compatible(gone.expected, extra.actual)) {
      const oldKey = splitPath(extra.path)![1];
      const field = splitPath(gone.path)![1];
      out.push(
        `${gone.path} is missing and ${extra.path} unexpected: renamed? add \`legacyNames: [${JSON.stringify(oldKey).replace(/^"|"$/g, "'")}]\`` +
          ` to the @persist() of ${field}`,
      );
    } else if (missing.length > 0) added = true;
  }
  if (added) out.push('new field? mark it `optional: true` in its @persist(), or load with `strict: false` (missing keys are then listed, not errors)');
  return out;
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
