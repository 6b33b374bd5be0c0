/**
 * The before/after ratio of a change to the checkpoint read path, measured in one run (issue 13):
 *
 *   npx tsx bench/read-path/compare.ts --before <commit> [--full] [--rounds N]
 *
 * Exports `src/` of `<commit>` (git archive) next to the working tree's, saves one checkpoint of the suite's state
 * (120 MiB, or 1 GiB with --full), and then, interleaved in rotating order, in fresh processes, from a warm page cache:
 * readFileSync of the file, the verified load of both trees, and the verified in-place load of both. Prints the
 * medians (wall and CPU seconds, user + system over all threads) and the per-round ratios. Not part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { buildState, FULL_MODEL, parameterSpecs, QUICK_MODEL } from '../helpers/checkpoint-state.js';
import { median, rotate } from '../helpers/stats.js';
import { warmPageCache } from '../helpers/page-cache.js';
import { quiesce, DEFAULT_QUIESCE } from '../suite/writeback.js';

const repo = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
};
const before = arg('before');
if (before === undefined) throw new Error('usage: compare.ts --before <commit> [--full] [--rounds N]');
const rounds = Number(arg('rounds') ?? 5);
const full = process.argv.includes('--full');
const dir = mkdtempSync(join(process.env['KINDLING_BENCH_DIR'] ?? join(repo, '.tmp'), 'read-path-'));

interface Result { op: string; seconds: number; cpuSeconds: number; sysSeconds: number }
const results = new Map<string, Result[]>();
try {
  const old = join(dir, 'before');
  mkdirSync(old);
  execFileSync('bash', ['-c', `git -C "${repo}" archive "${before}" src | tar -x -C "${old}"`]);
  const specs = parameterSpecs(full ? FULL_MODEL : QUICK_MODEL);
  const specFile = join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(specs));
  const file = join(dir, 'state.kindling');
  await saveCheckpoint(file, buildState({ random: true, specs }));
  const modules = { after: join(repo, 'src/checkpoint/index.ts'), before: join(old, 'src/checkpoint/index.ts') };
  const variants: [string, string, string][] = [
    ['readFileSync', 'raw-read', modules.after],
    ['load, before', 'load', modules.before],
    ['load, after', 'load', modules.after],
    ['load into, before', 'load-into', modules.before],
    ['load into, after', 'load-into', modules.after],
  ];
  for (let round = 0; round < rounds; round++) {
    for (const [label, op, module] of rotate(variants, round)) {
      const q = quiesce(DEFAULT_QUIESCE);
      warmPageCache(file);
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'bench/read-path/child.ts'), op, file, module, specFile], { cwd: repo, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`${label} failed:\n${run.stderr}`);
      const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as Result;
      results.set(label, [...(results.get(label) ?? []), r]);
      process.stderr.write(`round ${round} ${label.padEnd(18)} ${r.seconds.toFixed(3)} s, CPU ${r.cpuSeconds.toFixed(3)} s (system ${r.sysSeconds.toFixed(3)})  load ${q.loadAverage.toFixed(1)}\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const of = (label: string, key: keyof Omit<Result, 'op'>): number[] => (results.get(label) ?? []).map((r) => r[key]);
const ratio = (a: string, b: string, key: 'seconds' | 'cpuSeconds'): string => {
  const xs = of(a, key).map((v, i) => v / of(b, key)[i]!);
  return `${median(xs).toFixed(2)}× (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
};
const lines = [
  `before = ${before}, after = the working tree; ${full ? '1 GiB' : '120 MiB'} state, warm page cache, ${rounds} rounds`,
  '',
  '| operation | wall (median) | CPU (median) | system part |',
  '|---|---:|---:|---:|',
  ...[...results.keys()].map((l) => `| ${l} | ${median(of(l, 'seconds')).toFixed(3)} s | ${median(of(l, 'cpuSeconds')).toFixed(3)} s | ${median(of(l, 'sysSeconds')).toFixed(3)} s |`),
  '',
  '| ratio, per round | wall | CPU |',
  '|---|---:|---:|',
  `| readFileSync ÷ load, before | ${ratio('readFileSync', 'load, before', 'seconds')} | ${ratio('readFileSync', 'load, before', 'cpuSeconds')} |`,
  `| readFileSync ÷ load, after | ${ratio('readFileSync', 'load, after', 'seconds')} | ${ratio('readFileSync', 'load, after', 'cpuSeconds')} |`,
  `| load after ÷ load before (time) | ${ratio('load, after', 'load, before', 'seconds')} | ${ratio('load, after', 'load, before', 'cpuSeconds')} |`,
  `| load into after ÷ before (time) | ${ratio('load into, after', 'load into, before', 'seconds')} | ${ratio('load into, after', 'load into, before', 'cpuSeconds')} |`,
];
process.stdout.write(`${lines.join('\n')}\n`);
