/**
 * kindling's benchmark suite (issue 13): `npm run bench` (quick: a 120 MiB state, few rounds, a few minutes) or
 * `npm run bench -- --full` (the 1 GiB state). Never part of `npm test`. Prints one table with the target next to
 * each figure, writes bench/results/latest.json (and <mode>.json), and updates the suite's section of BENCHMARKS.md
 * (between `<!-- bench:results:start -->` and `<!-- bench:results:end -->`) and, for `--full`, the figures of
 * docs/design/checksums.md.
 *
 * Options: `--full`; `--rounds N` (checkpoint and checksum rounds, at least 5 by default); `--only
 * checkpoint,codegen,trainer,checksums` (the others are listed as not run); `--no-write` (stdout only).
 * Every comparison is a ratio of two operations measured side by side: interleaved in rotating order, the median of
 * the per-round ratios with their min–max. Before each IO operation the kernel's writeback is drained
 * (suite/writeback.ts); the load average and the Dirty kB at that moment stand next to every figure.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FULL_MODEL, QUICK_MODEL } from './helpers/checkpoint-state.js';
import { runCheckpointSection } from './suite/checkpoint-section.js';
import { runChecksumSection } from './suite/checksum-section.js';
import { runCodegenSection } from './suite/codegen-section.js';
import { describeMachine, type Machine } from './suite/machine.js';
import { replaceBetweenMarkers } from './suite/markdown-section.js';
import { markdownTable, type Row, verdict } from './suite/rows.js';
import { DEFAULT_QUIESCE, type QuiesceOptions } from './suite/writeback.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const MiB = 1024 * 1024;
const SECTIONS = ['checkpoint', 'codegen', 'trainer', 'checksums'] as const;
type Section = (typeof SECTIONS)[number];

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? undefined : process.argv[at + 1];
}

const full = process.argv.includes('--full');
const mode = full ? 'full' : 'quick';
const roundsArg = option('rounds');
const rounds = roundsArg === undefined ? 5 : Number(roundsArg);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a positive integer');
const only = option('only')?.split(',') ?? [...SECTIONS];
for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
const runs = (s: Section): boolean => only.includes(s);
const write = !process.argv.includes('--no-write');
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const quiesceOptions: QuiesceOptions = { ...DEFAULT_QUIESCE, timeoutSeconds: full ? 60 : 30 };
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const benchDir = process.env['KINDLING_BENCH_DIR'] ?? join(repo, '.tmp');
mkdirSync(benchDir, { recursive: true });

const machine = describeMachine(repo, benchDir);
const started = Date.now();
const rows: Row[] = [];
const notes: string[] = [];
const raw: Record<string, unknown> = {};
const notRun = (item: string, what: string): Row => ({ item, what, unit: '×', note: `not run (--only ${only.join(',')})` });

if (runs('checkpoint')) {
  const r = runCheckpointSection({ model: full ? FULL_MODEL : QUICK_MODEL, rounds, quiesce: quiesceOptions, log });
  rows.push(...r.rows);
  notes.push(...r.notes);
  raw['checkpoint'] = { stateBytes: r.stateBytes, torch: r.torch, evictions: r.evictions, samples: r.samples.all };
} else rows.push(notRun('1–5', 'checkpoint save/load, torch, async save, peak RSS'));

if (runs('codegen')) {
  const r = await runCodegenSection({
    repo,
    runtimeRounds: full ? 25 : 9,
    coldRuns: 5,
    sizes: [100, 500],
    watchEdits: full ? 9 : 5,
    watchSize: 500,
    quiesce: quiesceOptions,
    log,
  });
  rows.push(...r.rows);
  notes.push(...r.notes);
  raw['codegen'] = r.raw;
} else rows.push(notRun('6–7', 'generated state code, cold codegen, watch'));

const trainerWhat = 'trainer overhead (fit vs plain tfjs loop; callbacks; checkpoint every N steps)';
if (!existsSync(join(repo, 'src/trainer/trainer.ts'))) {
  rows.push({ item: '8', what: trainerWhat, unit: '×', note: 'skipped: no trainer yet (no src/trainer/trainer.ts)' });
} else if (runs('trainer')) {
  // Imported only here: without a Trainer the suite must still run.
  const { runTrainerSection } = await import('./suite/trainer-section.js');
  // Runs of 10 (25) epochs, 260 (650) steps of about 3 ms: long enough that scheduling noise does not swamp a 3% target.
  rows.push(...(await runTrainerSection({ rounds: Math.max(rounds, 7), epochs: full ? 25 : 10, checkpointEvery: 20, log })));
} else rows.push(notRun('8', trainerWhat));

let checksums: Awaited<ReturnType<typeof runChecksumSection>> | undefined;
if (runs('checksums')) {
  checksums = await runChecksumSection({ bytes: full ? 1024 * MiB : 128 * MiB, rounds, dir: benchDir, quiesce: quiesceOptions, log });
  rows.push(...checksums.rows);
  raw['checksums'] = { bytes: checksums.bytes, candidates: checksums.candidates, missing: checksums.missing, samples: checksums.samples.all };
}

const minutes = (Date.now() - started) / 60_000;
const table = markdownTable(rows);
const missed = rows.filter((r) => verdict(r) === 'MISSED');
const header = [
  `Mode: ${mode} (${full ? 'the 1 GiB state' : 'a 120 MiB state'}), ${rounds} round${rounds === 1 ? '' : 's'}, ${minutes.toFixed(1)} min. Command: \`${command}\`.`,
  `Machine: ${machine.nproc} × ${machine.cpu}; ${machine.memory}; disk: ${machine.disk}; Node ${machine.node}; torch ${machine.torch}.`,
  `Run at ${machine.date}, commit ${machine.commit}; 1/5/15-minute load average at start ${machine.loadAverageAtStart}.`,
  'Figures: ratios are medians of per-round ratios of two operations run side by side (interleaved, order rotating); min–max over the rounds. ' +
    '"load avg" is the median 1-minute load average, "Dirty kB" the median /proc/meminfo Dirty right before the operations (after `sync` and a drain wait).',
];
const closing = [
  missed.length === 0 ? 'Every target with a figure was met in this run.' : `Missed in this run: ${missed.length} target(s).`,
  ...notes.map((n) => `- ${n}`),
  ...(checksums?.missing ?? []).map((m) => `- checksums: ${m}`),
];
const report = [...header, '', table, '', ...closing].join('\n');
process.stdout.write(`${report}\n`);

if (write) {
  const results = join(here, 'results');
  mkdirSync(results, { recursive: true });
  const json = JSON.stringify({ mode, command, rounds, minutes, machine, rows: rows.map((r) => ({ ...r, verdict: verdict(r) })), notes, raw }, null, 2);
  writeFileSync(join(results, 'latest.json'), `${json}\n`);
  writeFileSync(join(results, `${mode}.json`), `${json}\n`);
  const title = full ? '### `npm run bench -- --full` (1 GiB state)' : '### `npm run bench` (quick mode, 120 MiB state)';
  ensureResultsSection(join(repo, 'BENCHMARKS.md'));
  replaceBetweenMarkers(join(repo, 'BENCHMARKS.md'), `bench:results:${mode}`, `${title}\n\n${report}`);
  // The study's figures are replaced only by a run that measured every candidate (the packages are optional).
  if (full && checksums && checksums.missing.length === 0) writeChecksumFigures(machine, checksums.rows, command);
  else if (full && checksums) log(`docs/design/checksums.md left as it was: ${checksums.missing.join('; ')}`);
  log(`wrote bench/results/latest.json, bench/results/${mode}.json and BENCHMARKS.md`);
}

/** The suite owns one section of BENCHMARKS.md, created once (after the title) with an empty block per mode. */
function ensureResultsSection(file: string): void {
  if (readFileSync(file, 'utf8').includes('<!-- bench:results:start -->')) return;
  const empty = (m: string): string => `<!-- bench:results:${m}:start -->\n(not run yet)\n<!-- bench:results:${m}:end -->`;
  replaceBetweenMarkers(
    file,
    'bench:results',
    [
      '## The suite: `npm run bench`',
      '',
      'Written by `bench/run.ts` (`npm run bench` for the quick mode, `npm run bench -- --full` for the 1 GiB state); each run replaces its ' +
        "mode's block between these markers. On a shared machine, read the load average and Dirty columns before the figures.",
      '',
      empty('quick'),
      '',
      empty('full'),
    ].join('\n'),
    /^# Benchmarks$/m,
  );
}

function writeChecksumFigures(m: Machine, checksumRows: readonly Row[], cmd: string): void {
  const body = [
    `Measured by \`${cmd}\` at ${m.date} (commit ${m.commit}): ${m.nproc} × ${m.cpu}, Node ${m.node}, load average at start ${m.loadAverageAtStart}.`,
    '',
    markdownTable(checksumRows),
  ].join('\n');
  replaceBetweenMarkers(join(repo, 'docs/design/checksums.md'), 'bench:checksums', body);
}

