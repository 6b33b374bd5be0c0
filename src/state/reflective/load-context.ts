import { addIssues, IssueList, type StateIssue } from '../errors.js';
import type { LoadPlan } from '../load-plan.js';
import type { LoadOptions } from '../stateful.js';

/**
 * Produces a loaded value at commit time. Builds run only once the whole state has validated; a build may fill a
 * tensor in place or commit a nested stateful value's plan, and returns what the field (or element) is assigned.
 */
export type Build = () => unknown;

/** What one prepare pass collects: every issue, and the keys a non-strict load did not use or find. */
export class LoadContext {
  readonly issues: StateIssue[] = new IssueList();
  readonly missingKeys: string[] = [];
  readonly unexpectedKeys: string[] = [];

  /** Whether the field being planned is `@persist({ resizable: true })` (its tensors may change shape). */
  resizable = false;

  constructor(readonly options: LoadOptions) {}

  get strict(): boolean {
    return this.options.strict ?? true;
  }

  typeIssue(path: string, expected: string, actual: string): void {
    this.issues.push({ path, kind: 'type', expected, actual });
  }

  /** A required key is absent: an issue when strict, reported in `missingKeys` otherwise. */
  missing(path: string, expected: string): void {
    if (this.strict) this.issues.push({ path, kind: 'missing', expected, actual: 'nothing' });
    else this.missingKeys.push(path);
  }

  /** A key nobody expects: an issue when strict, reported in `unexpectedKeys` otherwise. */
  unexpected(path: string, actual: string): void {
    if (this.strict) this.issues.push({ path, kind: 'unexpected', expected: '', actual });
    else this.unexpectedKeys.push(path);
  }

  /** Takes in a nested value's plan, which already names full paths. */
  absorb(plan: LoadPlan): void {
    addIssues(this.issues, plan.issues);
    this.missingKeys.push(...plan.missingKeys);
    this.unexpectedKeys.push(...plan.unexpectedKeys);
  }
}
