/**
 * Data benchmark: time per batch of iterating the shipped digits with a shuffling DataLoader (default collate, batch
 * tensors disposed by the loader) against a plain `for` loop that shuffles with the same generator and slices the same
 * host arrays into tfjs tensors. Run with `npm run bench:data`; never part of `npm test`.
 *
 * The two are interleaved, in alternating order, for KINDLING_BENCH_ROUNDS rounds (default 7) after a warm-up; each
 * measurement is KINDLING_BENCH_EPOCHS epochs (default 20). Reported: median time per batch, min–max, and the ratio of
 * medians, for wall-clock and for CPU time per batch. KINDLING_BENCH_BACKENDS chooses the tfjs backends (default "cpu,wasm"); KINDLING_BENCH_BATCH the batch
 * sizes (default "64,256").
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { loadavg } from 'node:os';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { DataLoader, Generator, loadDigits, readDigits } from '../src/index.js';
import { median, rotate } from './helpers/stats.js';

const ROUNDS = Number(process.env['KINDLING_BENCH_ROUNDS'] ?? 7);
const EPOCHS = Number(process.env['KINDLING_BENCH_EPOCHS'] ?? 20);
const BACKENDS = (process.env['KINDLING_BENCH_BACKENDS'] ?? 'cpu,wasm').split(',');
const BATCHES = (process.env['KINDLING_BENCH_BATCH'] ?? '64,256').split(',').map(Number);

tf.env().set('IS_TEST', true); // no install hint from the cpu backend
const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
setWasmPaths(`${wasmDir}/dist/`);

const { images, labels } = await readDigits();
const pixels = Float32Array.from(images.data, (v) => v / 16);
const targets = Int32Array.from(labels.data);
const dataset = await loadDigits();
const n = targets.length;
const FEATURES = 64;

/** The baseline: shuffle, then slice rows into one batch buffer per batch and make the two tensors. */
function plainEpochs(batchSize: number, generator: Generator): number {
  let batches = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const order = generator.derive(epoch).permutation(n);
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const x = new Float32Array(size * FEATURES);
      const y = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        const i = order[start + k]!;
        x.set(pixels.subarray(i * FEATURES, (i + 1) * FEATURES), k * FEATURES);
        y[k] = targets[i]!;
      }
      const xt = tf.tensor2d(x, [size, FEATURES], 'float32');
      const yt = tf.tensor1d(y, 'int32');
      tf.dispose([xt, yt]);
      batches += 1;
    }
  }
  return batches;
}

async function loaderEpochs(batchSize: number, generator: Generator): Promise<number> {
  const loader = new DataLoader(dataset, { batchSize, shuffle: true, generator });
  let batches = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for await (const batch of loader) {
      if (batch.image.shape[1] !== FEATURES) throw new Error('unexpected batch shape');
      batches += 1;
    }
  }
  return batches;
}

interface Timing {
  /** Wall-clock µs per batch. */
  readonly wall: number;
  /** CPU µs per batch (user + system) of this process: less disturbed by other jobs on a shared machine. */
  readonly cpu: number;
}

async function timed(run: () => number | Promise<number>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const batches = await run();
  const wall = ((performance.now() - start) * 1000) / batches;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / batches };
}

const fmt = (us: number[]) => `${median(us).toFixed(1)} µs (${Math.min(...us).toFixed(1)}–${Math.max(...us).toFixed(1)})`;

console.log(`digits: ${n} samples, ${EPOCHS} epochs per measurement, ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(2)}`);
for (const backend of BACKENDS) {
  await tf.setBackend(backend);
  await tf.ready();
  for (const batchSize of BATCHES) {
    const ops = {
      'plain loop': () => plainEpochs(batchSize, new Generator(1)),
      DataLoader: () => loaderEpochs(batchSize, new Generator(1)),
    };
    const names = Object.keys(ops) as (keyof typeof ops)[];
    for (const name of names) await timed(ops[name]); // warm-up
    const times: Record<string, Timing[]> = { 'plain loop': [], DataLoader: [] };
    const tensorsBefore = tf.memory().numTensors;
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of rotate(names, round)) times[name]!.push(await timed(ops[name]));
    }
    if (tf.memory().numTensors !== tensorsBefore) throw new Error('tensors leaked during the benchmark');
    for (const kind of ['wall', 'cpu'] as const) {
      const plain = times['plain loop']!.map((t) => t[kind]);
      const loader = times['DataLoader']!.map((t) => t[kind]);
      const ratio = median(loader) / median(plain);
      console.log(
        `${backend.padEnd(4)} batch ${String(batchSize).padStart(3)} ${kind.padEnd(4)}: plain loop ${fmt(plain)}; DataLoader ${fmt(loader)}; ratio ${ratio.toFixed(2)}x`,
      );
    }
  }
}
console.log(`load after: ${loadavg()[0]!.toFixed(2)}`);
