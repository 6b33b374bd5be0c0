// Prints the first two epochs' batch orders of a shuffling loader seeded by argv[2], as JSON (run in a new process).
import { pathToFileURL } from 'node:url';
import { ArrayDataset, DataLoader, seedEverything } from '../../../src/index.js';

export async function orders(seed: number): Promise<number[][]> {
  seedEverything(seed);
  const loader = new DataLoader(new ArrayDataset(Array.from({ length: 50 }, (_, i) => i)), {
    batchSize: 8,
    shuffle: true,
    collate: (samples) => [...samples],
  });
  const out: number[][] = [];
  for (let epoch = 0; epoch < 2; epoch++) for await (const batch of loader) out.push(batch);
  return out;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) process.stdout.write(JSON.stringify(await orders(Number(process.argv[2]))));
