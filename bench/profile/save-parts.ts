/**
 * The parts of one ModelCheckpoint save of the flagship's state (item 8's 'default callbacks' variant saves once per
 * epoch): trainer.dumpCheckpoint(), snapshotTree() (both in the hook, on the loop), then the file write
 * (saveCheckpoint: encode + checksums on the loop, fs calls in libuv's threadpool), durable (fsync of the file and
 * its directory) and not. Each the median of many calls, wall and CPU time.
 *   npx tsx bench/profile/save-parts.ts [iterations=200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DigitsDataModule } from '../../examples/data/digits-data-module.js';
import { DigitsClassifier } from '../../examples/digits-classifier/classifier.js';
import { saveCheckpoint } from '../../src/checkpoint/file-save.js';
import { snapshotTree } from '../../src/checkpoint/snapshot.js';
import { encodeTree } from '../../src/checkpoint/tree-codec.js';
import { initEngine, ModelCheckpoint } from '../../src/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { median } from '../helpers/stats.js';

const iterations = Number(process.argv[2] ?? 200);
await initEngine({ backend: 'wasm' });
const data = new DigitsDataModule({ batchSize: 64, valFraction: 0.1, seed: 0 });
await data.setup('fit');
const loader = data.trainDataloader();
const root = mkdtempSync(join(tmpdir(), 'kindling-save-parts-'));
try {
  const trainer = new Trainer({ maxEpochs: 1, logger: false, numSanityValSteps: 0, defaultRootDir: root, enableProgressBar: false, callbacks: [new ModelCheckpoint({ dirpath: root })] });
  await trainer.fit(new DigitsClassifier({ warmupSteps: loader.length, totalSteps: 10 * loader.length }), { trainDataloaders: loader });
  const dump = trainer.dumpCheckpoint();
  const encoded = encodeTree(dump, 'x');
  const bytes = encoded.tensors.reduce((n, t) => n + t.tensor.data.byteLength, 0);
  console.log(`state: ${encoded.tensors.length} tensors, ${(bytes / 1024).toFixed(0)} KiB, ${encoded.nodes} JSON values; ${iterations} iterations, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const time = async (name: string, op: (i: number) => unknown): Promise<void> => {
    for (let i = 0; i < Math.min(20, iterations); i++) await op(i);
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const c = process.cpuUsage();
      const t = performance.now();
      await op(i);
      wall.push((performance.now() - t) * 1000);
      const u = process.cpuUsage(c);
      cpu.push(u.user + u.system);
    }
    console.log(`${name.padEnd(52)} wall ${median(wall).toFixed(0).padStart(5)} µs   cpu ${median(cpu).toFixed(0).padStart(5)} µs`);
  };
  const file = (i: number): string => join(root, `f${i % 4}.ckpt`);
  await time('trainer.dumpCheckpoint()', () => trainer.dumpCheckpoint());
  await time('snapshotTree(dump)', () => snapshotTree(dump, 'x'));
  await time('  of which encodeTree(dump)', () => encodeTree(dump, 'x'));
  await time('dump + snapshot (the hook, sync part)', () => snapshotTree(trainer.dumpCheckpoint(), 'x'));
  const snap = snapshotTree(dump, 'x');
  await time('saveCheckpoint(snapshot), durable (the write)', (i) => saveCheckpoint(file(i), snap));
  await time('saveCheckpoint(snapshot), durable: false', (i) => saveCheckpoint(file(i), snap, { durable: false }));
  await time('trainer.saveCheckpoint(path) awaited (hook + write)', (i) => trainer.saveCheckpoint(file(i)));
} finally {
  rmSync(root, { recursive: true, force: true });
}
