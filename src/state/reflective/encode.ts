import { describeValue, joinIndex, joinKey, type StateIssue } from '../errors.js';
import { encodeBigint, encodeDate, setOwn } from '../values.js';
import { stateDictAt } from '../save-guard.js';
import { MAX_STATE_DEPTH } from '../limits.js';
import { kindOf } from './kinds.js';
import { isJsonPrimitive } from './state-data.js';

/**
 * Encodes one value for a state dict by its run-time kind (docs/design/state-contract.md, "What a state is"):
 * containers are copied, tensors shared, nested stateful values give their own `stateDict()`, Map/Set/Date/bigint
 * take their fixed encodings. Values that cannot be stored are reported in `issues` (the caller throws once).
 */
export function encodeValue(value: unknown, path: string, issues: StateIssue[], ancestors: object[] = []): unknown {
  if (isJsonPrimitive(value)) return value;
  const kind = kindOf(value);
  switch (kind.kind) {
    // Fields and object properties holding undefined are left out before this; elsewhere it cannot be stored.
    case 'absent':
      return unsupported(value, path, issues);
    case 'number':
    case 'string':
    case 'boolean':
      return value; // taken by isJsonPrimitive above
    case 'bigint':
      return encodeBigint(value as bigint);
    case 'date':
      return encodeDate(value as Date);
    case 'tensor':
      return kind.value;
    case 'stateful':
      return stateDictAt(kind.value, path);
    case 'valueKind':
      return kind.valueKind.save(kind.value);
    case 'unsupported':
      return unsupported(value, path, issues);
    default:
      break;
  }
  if (ancestors.length >= MAX_STATE_DEPTH) {
    issues.push({ path, kind: 'type', expected: `at most ${MAX_STATE_DEPTH} levels of nesting`, actual: 'deeper nesting' });
    return null;
  }
  if (ancestors.includes(kind.value)) {
    issues.push({ path, kind: 'type', expected: 'a tree (no cycles)', actual: 'a reference to one of its parents' });
    return null;
  }
  ancestors.push(kind.value);
  try {
    switch (kind.kind) {
      case 'map': {
        const out: unknown[] = [];
        let i = 0;
        for (const [k, v] of kind.value) {
          const at = joinIndex(path, i++);
          out.push([encodeValue(k, joinIndex(at, 0), issues, ancestors), encodeValue(v, joinIndex(at, 1), issues, ancestors)]);
        }
        return out;
      }
      case 'set': {
        const out: unknown[] = [];
        let i = 0;
        for (const item of kind.value) out.push(encodeValue(item, joinIndex(path, i++), issues, ancestors));
        return out;
      }
      case 'array':
        return kind.value.map((item, i) => (isJsonPrimitive(item) ? item : encodeValue(item, joinIndex(path, i), issues, ancestors)));
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(kind.value)) {
          const item = kind.value[key];
          // An undefined property is an absent key, as for optional fields.
          if (item === undefined) continue;
          setOwn(out, key, isJsonPrimitive(item) ? item : encodeValue(item, joinKey(path, key), issues, ancestors));
        }
        return out;
      }
    }
  } finally {
    ancestors.pop();
  }
}

function unsupported(value: unknown, path: string, issues: StateIssue[]): null {
  issues.push({ path, kind: 'type', expected: 'a state value', actual: describeValue(value) });
  return null;
}
