/**
 * `npm run fuzz`: the crafted-header families of test/checkpoint/hostile-cases.ts for about ten minutes, in child
 * processes, so that a crash or a hang is counted instead of stopping the run. Prints, per family: cases tried,
 * rejected, accepted, wrong (a rule of the format broken), crashed (an exception other than CheckpointError, or the
 * child dying), hung (no answer within 10 s), and the peak RSS of its child processes.
 *
 *   npm run fuzz                      # 10 minutes
 *   npm run fuzz -- --minutes 1       # shorter
 *   npm run fuzz -- --seed 42         # another sequence (default: the time)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const BATCH = 200;
const HANG_MS = 10_000;

type Column = 'tried' | 'rejected' | 'accepted' | 'wrong' | 'crashed' | 'hung';

interface Line {
  readonly kind: 'case' | 'done';
  readonly result?: 'accepted' | 'rejected' | 'wrong' | 'crashed';
  readonly detail?: string;
  readonly maxRssKiB?: number;
}

async function child(family: string, seed: number, count: number): Promise<void> {
  const fc = (await import('fast-check')).default;
  const { CASES } = await import('../test/checkpoint/hostile-cases.js');
  const arb = CASES[family as keyof typeof CASES];
  const dir = mkdtempSync(join(tmpdir(), 'kindling-fuzz-'));
  const write = (line: Line): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  try {
    for (const hostile of fc.sample(arb, { seed, numRuns: count })) {
      try {
        const r = await hostile.run(dir);
        write(r.violation === undefined ? { kind: 'case', result: r.outcome } : { kind: 'case', result: 'wrong', detail: r.violation });
      } catch (error) {
        write({ kind: 'case', result: 'crashed', detail: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  write({ kind: 'done', maxRssKiB: process.resourceUsage().maxRSS });
}

interface BatchResult {
  counts: Record<Column, number>;
  maxRssKiB: number;
  details: string[];
}

function runBatch(family: string, seed: number): Promise<BatchResult> {
  return new Promise((resolve) => {
    const counts: Record<Column, number> = { tried: 0, rejected: 0, accepted: 0, wrong: 0, crashed: 0, hung: 0 };
    const details: string[] = [];
    let maxRssKiB = 0;
    let done = false;
    const proc = spawn(process.execPath, ['--import', 'tsx', HERE, '--child', family, String(seed), String(BATCH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        counts.tried++;
        counts.hung++;
        details.push(`hung: ${family} seed ${seed} case ${counts.tried}`);
        proc.kill('SIGKILL');
      }, HANG_MS);
    };
    arm();
    createInterface({ input: proc.stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Line;
      if (line.kind === 'done') {
        done = true;
        maxRssKiB = line.maxRssKiB ?? 0;
        return;
      }
      arm();
      counts.tried++;
      counts[line.result!]++;
      if (line.detail !== undefined) details.push(`${line.result}: ${family} seed ${seed}: ${line.detail}`);
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!done && signal !== 'SIGKILL') {
        counts.tried++;
        counts.crashed++;
        details.push(`child died (${code ?? signal}): ${family} seed ${seed}: ${stderr.slice(-300)}`);
      }
      resolve({ counts, maxRssKiB, details });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const minutes = Number(option('--minutes') ?? 10);
  let seed = Number(option('--seed') ?? Date.now() % 1_000_000_000);
  const { FAMILIES } = await import('../test/checkpoint/hostile-cases.js');
  const table = new Map<string, Record<Column, number> & { peakKiB: number }>();
  for (const f of FAMILIES) table.set(f, { tried: 0, rejected: 0, accepted: 0, wrong: 0, crashed: 0, hung: 0, peakKiB: 0 });
  const details: string[] = [];
  const firstSeed = seed;
  const end = Date.now() + minutes * 60_000;
  const started = Date.now();
  while (Date.now() < end) {
    for (const family of FAMILIES) {
      if (Date.now() >= end) break;
      const r = await runBatch(family, seed++);
      const row = table.get(family)!;
      for (const k of Object.keys(r.counts) as Column[]) row[k] += r.counts[k];
      row.peakKiB = Math.max(row.peakKiB, r.maxRssKiB);
      details.push(...r.details);
    }
    process.stderr.write(`… ${((Date.now() - started) / 60_000).toFixed(1)} min, ${[...table.values()].reduce((n, r) => n + r.tried, 0)} cases\n`);
  }
  const elapsed = (Date.now() - started) / 60_000;
  console.log(`npm run fuzz -- --minutes ${minutes} --seed ${firstSeed}: ${elapsed.toFixed(1)} min, node ${process.version}, ${BATCH} cases per child\n`);
  console.log('| family | tried | rejected | accepted | wrong | crashed | hung | peak RSS |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  const total = { tried: 0, rejected: 0, accepted: 0, wrong: 0, crashed: 0, hung: 0, peakKiB: 0 };
  for (const [family, row] of table) {
    console.log(`| ${family} | ${row.tried} | ${row.rejected} | ${row.accepted} | ${row.wrong} | ${row.crashed} | ${row.hung} | ${(row.peakKiB / 1024).toFixed(0)} MiB |`);
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] = k === 'peakKiB' ? Math.max(total[k], row[k]) : total[k] + row[k];
  }
  console.log(`| all | ${total.tried} | ${total.rejected} | ${total.accepted} | ${total.wrong} | ${total.crashed} | ${total.hung} | ${(total.peakKiB / 1024).toFixed(0)} MiB |`);
  if (details.length > 0) {
    console.log(`\n${details.length} problem(s):`);
    for (const d of details.slice(0, 50)) console.log(`- ${d}`);
  }
  if (total.wrong + total.crashed + total.hung > 0) process.exitCode = 1;
}

if (process.argv[2] === '--child') await child(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else await main();
