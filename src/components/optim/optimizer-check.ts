/**
 * What an optimizer's load checks beyond the state's types: the state must describe this optimizer's live
 * parameters. Its param groups must be this optimizer's groups (one per group, each listing the same parameter
 * names, in any order), and its per-parameter state may only name live parameters, each tensor shaped like its
 * parameter. Runs before anything is assigned (`@checkedState`), so a state for another model changes nothing.
 */
import { describeShape } from '../nn/parameter.js';
import { joinIndex, joinKey } from '../../state/errors.js';
import { isTensor, type StateIssue } from '../../state/index.js';
import type { Optimizer, ParamGroup } from './optimizer.js';

interface OptimizerStateLike {
  paramGroups?: readonly ParamGroup[];
  state?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
}

function list(names: readonly string[]): string {
  return names.length === 0 ? 'no parameters' : names.join(', ');
}

export function checkOptimizerState(self: Optimizer, state: OptimizerStateLike, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  const live = self.paramGroups;
  if (state.paramGroups !== undefined) {
    if (state.paramGroups.length !== live.length) {
      issues.push({ path: joinKey(path, 'paramGroups'), kind: 'type', expected: `${live.length} param group(s), as this optimizer has`, actual: `${state.paramGroups.length}` });
    } else {
      state.paramGroups.forEach((group, i) => {
        const want = [...live[i]!.params].sort();
        const got = [...group.params].sort();
        if (want.length !== got.length || want.some((n, k) => n !== got[k])) {
          issues.push({ path: joinKey(joinIndex(joinKey(path, 'paramGroups'), i), 'params'), kind: 'type', expected: list(live[i]!.params), actual: list(group.params) });
        }
      });
    }
  }
  for (const [name, entry] of Object.entries(state.state ?? {})) {
    const parameter = self.parameter(name);
    if (parameter === undefined) {
      issues.push({ path: joinKey(joinKey(path, 'state'), name), kind: 'type', expected: `state of one of this optimizer's parameters (${list(self.parameterNames())})`, actual: 'state of an unknown parameter' });
      continue;
    }
    for (const [key, value] of Object.entries(entry ?? {})) {
      if (!isTensor(value)) continue;
      const same = value.dtype === parameter.dtype && value.shape.length === parameter.shape.length && value.shape.every((d, k) => d === parameter.shape[k]);
      if (!same) issues.push({ path: joinKey(joinKey(joinKey(path, 'state'), name), key), kind: 'type', expected: parameter.describe(), actual: describeShape(value.dtype, value.shape) });
    }
  }
  return issues;
}
