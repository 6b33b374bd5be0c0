/**
 * One benchmark operation in a fresh process, so that its peak RSS is its own. Prints one JSON line:
 * `{ op, seconds, extraSeconds?, peakRssBytes, rssBeforeOpBytes }`. Usage: `checkpoint-child.ts <op> <file> [spec.json]`.
 * Only the operation itself is timed; building the state to save (or the tensors to load into) is not.
 * The benchmark runs this compiled to JavaScript (see compile-child.ts), so the peak RSS holds no TypeScript loader.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AsyncCheckpointSaver,
  loadCheckpoint,
  saveCheckpoint,
  serializeCheckpoint,
} from '../../src/checkpoint/index.js';
import { WRITTEN_CHECKSUM } from '../../src/checkpoint/checksum.js';
import type { ChildOp, ChildResult } from './checkpoint-ops.js';
import { CHILD_OPS } from './checkpoint-ops.js';
import { buildState, type ParameterSpec, tensorsOf } from './checkpoint-state.js';

/**
 * The baseline writer: the exact bytes of the checkpoint file (serialized before the clock starts), written with
 * one writeSync per chunk — what writeFileSync does, without first concatenating 1 GiB. With `durable`, it follows
 * the same crash-safe protocol as saveCheckpoint: temporary file, fsync, rename, fsync of the directory.
 */
function rawWrite(file: string, chunks: readonly Uint8Array[], durable: boolean): void {
  const target = durable ? `${file}.tmp` : file;
  const fd = openSync(target, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.byteLength) written += writeSync(fd, chunk, written);
    }
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (durable) {
    renameSync(target, file);
    const dir = openSync(dirname(file), 'r');
    fsyncSync(dir);
    closeSync(dir);
  }
}

async function run(op: ChildOp, file: string, specs: readonly ParameterSpec[] | undefined): Promise<Omit<ChildResult, 'peakRssBytes' | 'rssBeforeOpBytes'> & { rssBeforeOpBytes: number }> {
  // load-into gets a live state too: a training run's tensors have been written to, so their pages are resident,
  // and a fresh zero-filled (untouched) target would charge the page faults to the load.
  const needsState = ['raw-write', 'raw-write-fsync', 'save', 'save-nocrc', 'checksum', 'checksum-hot', 'memcpy-slice', 'memcpy-set', 'async-save', 'load-into'].includes(op);
  const state = needsState ? buildState({ random: true, ...(specs ? { specs } : {}) }) : undefined;
  const chunks = op === 'raw-write' || op === 'raw-write-fsync' ? serializeCheckpoint(state!, { checksums: true }) : [];
  const copies: Float32Array[] = op === 'memcpy-set' ? tensorsOf(state).map((t) => new Float32Array(t.data.length).fill(0)) : [];
  const rssBeforeOpBytes = process.memoryUsage().rss;

  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const cpu = (): { cpuSeconds: number; sysSeconds: number } => {
    const used = process.cpuUsage(cpuStart);
    return { cpuSeconds: (used.user + used.system) / 1e6, sysSeconds: used.system / 1e6 };
  };
  let extraSeconds: number | undefined;
  switch (op) {
    case 'idle':
      break;
    case 'raw-write':
    case 'raw-write-fsync':
      rawWrite(file, chunks, op === 'raw-write-fsync');
      break;
    case 'save':
      await saveCheckpoint(file, state!, { checksums: true });
      break;
    case 'save-nocrc':
      await saveCheckpoint(file, state!, { checksums: false });
      break;
    case 'checksum': {
      // The checksum work alone (no IO, the checksum kindling writes): what save and a verifying load add on top of
      // the bytes they move.
      for (const t of tensorsOf(state)) {
        const digest = WRITTEN_CHECKSUM.start();
        digest.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
        digest.hex();
      }
      break;
    }
    case 'checksum-hot': {
      // The same work over bytes already in the core's cache: one 1 MiB piece, checksummed (state bytes ÷ 1 MiB)
      // times. Against 'checksum' this shows how much of a checksum pass is waiting for memory.
      const piece = new Uint8Array(1024 * 1024);
      piece.set(new Uint8Array(tensorsOf(state)[0]!.data.buffer, 0, piece.length));
      const total = tensorsOf(state).reduce((sum, t) => sum + t.data.byteLength, 0);
      const digest = WRITTEN_CHECKSUM.start();
      for (let done = 0; done < total; done += piece.length) digest.update(piece);
      if (digest.hex() === '') throw new Error('unreachable: keeps the loop');
      break;
    }
    case 'raw-read':
      if (readFileSync(file).byteLength === 0) throw new Error(`${file} is empty`);
      break;
    case 'load':
      await loadCheckpoint(file);
      break;
    case 'load-noverify':
      await loadCheckpoint(file, { verify: false });
      break;
    case 'load-into':
      await loadCheckpoint(file, { into: state! });
      break;
    case 'memcpy-slice':
      copies.push(...tensorsOf(state).map((t) => t.data.slice() as Float32Array));
      break;
    case 'memcpy-set':
      tensorsOf(state).forEach((t, i) => copies[i]!.set(t.data as Float32Array));
      break;
    case 'async-save': {
      const saver = new AsyncCheckpointSaver();
      await saver.save(file, state!, { checksums: true });
      const blocked = performance.now();
      await saver.close();
      extraSeconds = (performance.now() - blocked) / 1000;
      return { op, seconds: (blocked - start) / 1000, extraSeconds, rssBeforeOpBytes, ...cpu() };
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return { op, seconds, rssBeforeOpBytes, ...cpu() };
}

const [opArg, file, specFile] = process.argv.slice(2);
if (!CHILD_OPS.includes(opArg as ChildOp) || file === undefined) {
  process.stderr.write(`usage: checkpoint-child.ts <${CHILD_OPS.join('|')}> <file> [spec.json]\n`);
  process.exit(2);
}
// The suite passes the parameter shapes (its quick mode uses a smaller model); without them, the 1 GiB state.
const specs = specFile === undefined ? undefined : (JSON.parse(readFileSync(specFile, 'utf8')) as ParameterSpec[]);
const result = await run(opArg as ChildOp, file, specs);
const out: ChildResult = { ...result, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
process.stdout.write(`${JSON.stringify(out)}\n`);
