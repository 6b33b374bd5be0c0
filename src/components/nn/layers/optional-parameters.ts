/**
 * A load must not change a layer's structure: a state whose `bias` is null cannot load into a Linear that has a
 * bias (that would drop a parameter the optimizer still updates), and the other way round a load never creates one.
 * The state layer's nullable fields would accept both, so layers with optional parameters add this check.
 */
import type { StateIssue } from '../../../state/index.js';
import type { StateCheck } from '../../rng/checked-state.js';
import type { Parameter } from '../parameter.js';

export function sameOptionalParameters<T extends object>(...fields: (keyof T & string)[]): StateCheck<T, Record<string, unknown>> {
  return (self, state, path) => {
    const issues: StateIssue[] = [];
    for (const field of fields) {
      const live = (self as Record<string, unknown>)[field] as Parameter | null;
      if (live !== null && state[field] === null) {
        issues.push({ path: `${path}.${field}`, kind: 'type', expected: `${live.describe()} (this ${self.constructor.name} has a ${field})`, actual: 'null' });
      }
    }
    return issues;
  };
}
