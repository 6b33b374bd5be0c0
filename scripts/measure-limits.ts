/**
 * What reading a hostile checkpoint costs: for each family of crafted file (up to the 100 MB header cap), each
 * reader runs in a fresh child process that reports its wall time and peak RSS. Memory is reported above a baseline
 * child that only imports kindling, and above the file's own size (the target of issue 8: accepted or refused within
 * 2 s and 256 MB above its size). Also measures an in-place load with two passes against verify: 'while-reading'.
 *
 *   npx tsx scripts/measure-limits.ts            # every family (about 2 minutes, ~100 MB of temporary files at a time)
 *   npx tsx scripts/measure-limits.ts wide deep  # some of them
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIFF_LIMITS } from '../src/cli/commands/diff.js';

const HERE = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;

type Op = 'none' | 'load' | 'load-into' | 'verify' | 'info' | 'validate' | 'diff' | 'inplace-two-pass' | 'inplace-one-pass';

async function child(op: Op, file: string): Promise<void> {
  const ckpt = await import('../src/checkpoint/index.js');
  const { runCli } = await import('../src/cli/program.js');
  const sink = { write: () => undefined };
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let outcome = 'accepted';
  try {
    switch (op) {
      case 'none':
        break;
      case 'load':
        await ckpt.loadCheckpoint(file);
        break;
      case 'load-into':
        await ckpt.loadCheckpoint(file, { into: {} });
        break;
      case 'verify':
        await ckpt.verifyCheckpoint(file);
        break;
      case 'info':
        await ckpt.readCheckpointInfo(file);
        break;
      case 'validate':
        outcome = `exit ${await runCli(['validate', file], { stdout: sink, stderr: sink })}`;
        break;
      case 'diff':
        outcome = `exit ${await runCli(['diff', file, file], { stdout: sink, stderr: sink })}`;
        break;
      case 'inplace-two-pass':
      case 'inplace-one-pass': {
        const { zeros } = await import('../src/state/tensor.js');
        const shape = (await ckpt.readCheckpointInfo(file)).tensors[0]!.shape;
        const into = { w: zeros('uint8', shape) };
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        await ckpt.loadCheckpoint(file, { into, verify: op === 'inplace-two-pass' ? true : 'while-reading' });
        const c = process.cpuUsage(c0);
        outcome = `${(performance.now() - t0).toFixed(0)} ms (CPU ${((c.user + c.system) / 1000).toFixed(0)} ms)`;
        break;
      }
    }
  } catch (error) {
    outcome = error instanceof ckpt.CheckpointError ? `refused: ${error.reason}` : `CRASH: ${String(error)}`;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(JSON.stringify({ outcome, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS }));
}

interface Result {
  outcome: string;
  ms: number;
  /** CPU time (user + system) of the call: what the machine's load does not inflate as much as wall time. */
  cpuMs: number;
  maxRssKiB: number;
}

function runChild(op: Op, file: string): Result {
  const out = execFileSync(process.execPath, ['--import', 'tsx', HERE, '--child', op, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Result;
}

/** Files built from a header text: the 8-byte length, the text padded with spaces. */
function writeHeaderFile(path: string, header: string): void {
  const json = Buffer.from(header, 'utf8');
  const length = Math.ceil((8 + json.length) / 8) * 8 - 8;
  const out = Buffer.alloc(8 + length, 0x20);
  out.writeBigUInt64LE(BigInt(length), 0);
  json.copy(out, 8);
  writeFileSync(path, out);
}

const TREE_BUDGET = 95_000_000;

/** A v1 header (no checksums) carrying `treeText`. */
function v1(treeText: string): string {
  return JSON.stringify({ __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': treeText } });
}

const FAMILIES: Record<string, { what: string; make: () => string }> = {
  wide: { what: '31 million empty objects in the tree (95 MB)', make: () => v1(`{"a":[${'{},'.repeat(TREE_BUDGET / 3)}{}]}`) },
  deep: { what: '47 million nested arrays in the tree (95 MB)', make: () => v1(`{"a":${'['.repeat(TREE_BUDGET / 2)}${']'.repeat(TREE_BUDGET / 2)}}`) },
  metadata: {
    what: '6 million metadata keys (95 MB)',
    make: () => {
      const parts: string[] = [];
      for (let i = 0; parts.length * 16 < TREE_BUDGET; i++) parts.push(`"k${i.toString(36).padStart(8, '0')}":"",`);
      return `{"__metadata__":{${parts.join('')}"format":"kindling","kindling.version":"1","kindling.tree":"{}"}}`;
    },
  },
  'one-string': { what: 'one 95 MB string in the tree (2 values: accepted)', make: () => v1(`{"s":"${'x'.repeat(TREE_BUDGET)}"}`) },
  'escaped-string': {
    what: 'one string of 95 MB of \\u escapes (accepted)',
    make: () => v1(JSON.stringify({ s: '\u0001'.repeat(TREE_BUDGET / 12) })),
  },
  'max-strings': {
    what: 'just under the node limit: 999,990 strings of 90 characters (accepted)',
    make: () => v1(`{"a":[${Array.from({ length: 999_989 }, () => `"${'y'.repeat(90)}"`).join(',')}]}`),
  },
  'max-objects': {
    what: 'just under the node limit: 999,990 empty objects (accepted)',
    make: () => v1(`{"a":[${'{},'.repeat(999_988)}{}]}`),
  },
  // A diff gives each file a quarter of a load's budget (DIFF_LIMITS): its worst accepted files are these.
  'diff-max-strings': {
    what: `just under diff's node limit: ${(DIFF_LIMITS.maxHeaderNodes - 10).toLocaleString('en-US')} strings of 90 characters (accepted)`,
    make: () => v1(`{"a":[${Array.from({ length: DIFF_LIMITS.maxHeaderNodes - 11 }, () => `"${'y'.repeat(90)}"`).join(',')}]}`),
  },
  'diff-max-objects': {
    what: `just under diff's node limit: ${(DIFF_LIMITS.maxHeaderNodes - 10).toLocaleString('en-US')} empty objects (accepted)`,
    make: () => v1(`{"a":[${'{},'.repeat(DIFF_LIMITS.maxHeaderNodes - 12)}{}]}`),
  },
  'diff-one-string': {
    what: "one string just under diff's header size limit (accepted)",
    make: () => v1(`{"s":"${'x'.repeat(DIFF_LIMITS.maxHeaderBytes - 200)}"}`),
  },
};

const READERS: Op[] = ['load', 'load-into', 'verify', 'info', 'validate', 'diff'];

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const families = chosen.length > 0 ? chosen : [...Object.keys(FAMILIES), 'in-place'];
  const dir = mkdtempSync(join(tmpdir(), 'kindling-measure-'));
  try {
    const baseline = runChild('none', '');
    console.log(`node ${process.version}; baseline child (kindling imported): ${(baseline.maxRssKiB / 1024).toFixed(0)} MiB RSS`);
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| file | reader | outcome | wall time | CPU time | peak RSS above baseline | above the file size |');
    console.log('|---|---|---|---:|---:|---:|---:|');
    for (const name of families) {
      if (name === 'in-place') continue;
      const family = FAMILIES[name];
      if (family === undefined) throw new Error(`unknown family ${name}`);
      const path = join(dir, `${name}.ckpt`);
      writeHeaderFile(path, family.make());
      const size = statSync(path).size;
      for (const op of READERS) {
        const r = runChild(op, path);
        const above = r.maxRssKiB / 1024 - baseline.maxRssKiB / 1024;
        console.log(
          `| ${family.what} | ${op} | ${r.outcome} | ${r.ms.toFixed(0)} ms | ${r.cpuMs.toFixed(0)} ms | ${above.toFixed(0)} MiB | ${(above - size / MiB).toFixed(0)} MiB |`,
        );
      }
      rmSync(path);
    }
    if (families.includes('in-place')) await measureInPlace(dir, baseline);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An in-place load of one 512 MiB tensor: two passes (verify, then read and check) against one. Warm page cache. */
async function measureInPlace(dir: string, baseline: Result): Promise<void> {
  const { saveCheckpoint } = await import('../src/checkpoint/index.js');
  const { zeros } = await import('../src/state/tensor.js');
  const path = join(dir, 'big.ckpt');
  const w = zeros('uint8', [512 * MiB]);
  for (let i = 0; i < w.data.length; i += 4096) w.data[i] = i & 0xff;
  await saveCheckpoint(path, { w }, { durable: false });
  console.log('\n| in-place load of a 512 MiB tensor (warm cache), wall (CPU) | run 1 | run 2 | run 3 |');
  console.log('|---|---:|---:|---:|');
  for (const op of ['inplace-two-pass', 'inplace-one-pass'] as const) {
    const runs = [runChild(op, path), runChild(op, path), runChild(op, path)];
    console.log(`| ${op === 'inplace-two-pass' ? "verify: true (two passes)" : "verify: 'while-reading' (one pass)"} | ${runs.map((r) => r.outcome).join(' | ')} |`);
  }
  void baseline;
  rmSync(path);
}

if (process.argv[2] === '--child') await child(process.argv[3] as Op, process.argv[4] ?? '');
else await main();
