import type { StateIssue } from '../../../state/index.js';

/**
 * A configuration value recorded in a state must equal the live one: a saved position means the same samples only
 * under the same configuration. Pushes an issue (naming the option to change) when it differs.
 */
export function configIssue<V extends number | boolean>(
  issues: StateIssue[],
  path: string,
  saved: V | undefined,
  live: V,
  option: string,
): void {
  if (saved === undefined || saved === live) return;
  issues.push({
    path,
    kind: 'type',
    expected: `${live} (this loader's ${option}; a saved position only means the same samples with the same ${option}: create it with ${option} ${saved}, or start fresh)`,
    actual: String(saved),
  });
}
