/**
 * One load of `bench:read-path` in a fresh process: `child.ts <op> <file> <checkpoint module> [spec.json]`, where the
 * checkpoint module is this tree's src/checkpoint/index.ts or an older commit's (the "before"). Prints one JSON line:
 * `{ op, seconds, cpuSeconds, sysSeconds }`; only the operation is timed.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { loadCheckpoint as LoadCheckpoint } from '../../src/checkpoint/index.js';
import { buildState, type ParameterSpec } from '../helpers/checkpoint-state.js';

const OPS = ['raw-read', 'load', 'load-into'] as const;
type Op = (typeof OPS)[number];

const [op, file, modulePath, specFile] = process.argv.slice(2);
if (!OPS.includes(op as Op) || file === undefined || modulePath === undefined) {
  process.stderr.write(`usage: child.ts <${OPS.join('|')}> <file> <checkpoint module> [spec.json]\n`);
  process.exit(2);
}
const { loadCheckpoint } = (await import(pathToFileURL(modulePath).href)) as { loadCheckpoint: typeof LoadCheckpoint };
const specs = specFile === undefined ? undefined : (JSON.parse(readFileSync(specFile, 'utf8')) as ParameterSpec[]);
// A live state for the in-place load: its pages are resident, as a training run's are.
const into = op === 'load-into' ? buildState({ random: true, ...(specs ? { specs } : {}) }) : undefined;
const cpuStart = process.cpuUsage();
const start = performance.now();
if (op === 'raw-read') readFileSync(file);
else await loadCheckpoint(file, into === undefined ? {} : { into });
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(`${JSON.stringify({ op, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, sysSeconds: cpu.system / 1e6 })}\n`);
