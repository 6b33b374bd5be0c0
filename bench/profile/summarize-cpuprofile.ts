/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, and inclusive time of the
 * functions whose name or file matches a filter.
 *   npx tsx bench/profile/summarize-cpuprofile.ts <file.cpuprofile> [top=25] [inclusive-filter-regex]
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const [file, topArg, filter] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const short = (url: string): string => url.replace(/^.*\/(node_modules\/|src\/|bench\/|examples\/)/, '$1').replace(/^file:\/\//, '');
const label = (n: Node): string => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
const selfFn = new Map<string, number>();
const selfFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  add(selfFn, label(n), us);
  add(selfFile, short(n.callFrame.url) || `(${n.callFrame.functionName})`, us);
}
// Inclusive: each sample counts once for every distinct label on its stack.
const incl = new Map<string, number>();
for (const [id, us] of selfUs) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!);
    if (!seen.has(l)) {
      seen.add(l);
      add(incl, l, us);
    }
  }
}
const print = (title: string, m: Map<string, number>, re?: RegExp): void => {
  console.log(`\n${title} (ms, % of ${(total / 1000).toFixed(0)} ms sampled)`);
  [...m].filter(([k]) => re === undefined || re.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([k, v]) => console.log(`${(v / 1000).toFixed(1).padStart(9)} ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`));
};
print('self by file', selfFile);
print('self by function', selfFn);
if (filter !== undefined) print(`inclusive, /${filter}/`, incl, new RegExp(filter));
// KINDLING_CALLEES=<regex>: the inclusive time of the callees (any depth, by label) under the frames matching it.
const calleesOf = process.env['KINDLING_CALLEES'];
if (calleesOf !== undefined) {
  const re = new RegExp(calleesOf);
  const under = new Map<string, number>();
  let rootUs = 0;
  for (const [id, us] of selfUs) {
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(label(byId.get(at)!));
    const at = stack.findIndex((l) => re.test(l));
    if (at < 0) continue;
    rootUs += us;
    for (const l of new Set(stack.slice(0, at))) add(under, l, us);
  }
  console.log(`\nunder /${calleesOf}/: ${(rootUs / 1000).toFixed(1)} ms in all`);
  [...under].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([k, v]) => console.log(`${(v / 1000).toFixed(1).padStart(9)}  ${k}`));
}
