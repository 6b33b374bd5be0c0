/**
 * What grew between two V8 heap snapshots (`v8.writeHeapSnapshot`), by object kind, leaving out what the JIT makes:
 * compiled code and its metadata (type `code`), V8's internal arrays (`hidden`) and object shapes. Those grow for a
 * long time in a healthy process as more functions are optimized, so they hide a real leak in heapUsed; what is left
 * (objects, arrays, closures, strings, numbers, native buffers) is what the program keeps alive.
 */
import { readFileSync } from 'node:fs';

/** The live objects of one kind: `object Foo`, `closure bar`, `string`, `number`. */
export interface KindTotal {
  readonly kind: string;
  readonly count: number;
  readonly bytes: number;
}

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: readonly string[]; readonly node_types: readonly [readonly string[], ...unknown[]] } };
  readonly nodes: readonly number[];
  readonly strings: readonly string[];
}

const JIT_TYPES = new Set(['code', 'hidden', 'object shape']);
const STRING_TYPES = new Set(['string', 'concatenated string', 'sliced string']);

/** The program's live objects in a snapshot file, totalled by kind. */
export function liveObjects(file: string): Map<string, KindTotal> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const totals = new Map<string, { count: number; bytes: number }>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    if (JIT_TYPES.has(type)) continue;
    // A string's name is its text: strings are totalled together, everything else by its constructor or function.
    const kind = STRING_TYPES.has(type) ? 'string' : type === 'number' ? 'number' : `${type} ${strings[nodes[i + nameAt]!]}`;
    const total = totals.get(kind) ?? { count: 0, bytes: 0 };
    total.count++;
    total.bytes += nodes[i + sizeAt]!;
    totals.set(kind, total);
  }
  return new Map([...totals].map(([kind, t]) => [kind, { kind, ...t }]));
}

/** Per kind, `after − before`, largest growth first (kinds that shrank or stayed are left out). */
export function growth(before: Map<string, KindTotal>, after: Map<string, KindTotal>): KindTotal[] {
  const out: KindTotal[] = [];
  for (const [kind, a] of after) {
    const b = before.get(kind) ?? { count: 0, bytes: 0 };
    if (a.bytes > b.bytes || a.count > b.count) out.push({ kind, count: a.count - b.count, bytes: a.bytes - b.bytes });
  }
  return out.sort((x, y) => y.bytes - x.bytes);
}

/** The total bytes of every kind, `after − before` (growth minus shrinkage). */
export function netBytes(before: Map<string, KindTotal>, after: Map<string, KindTotal>): number {
  let sum = 0;
  for (const t of after.values()) sum += t.bytes;
  for (const t of before.values()) sum -= t.bytes;
  return sum;
}
