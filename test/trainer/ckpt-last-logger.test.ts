/**
 * `ckptPath: 'last'` with a logger and a ModelCheckpoint without `dirpath`: the checkpoints go under the logger's
 * version directory, which is new for every run, so a restart never finds the previous run's files. The warning
 * says why and what to do, instead of only that nothing was found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { initEngine } from '../../src/components/engine/index.js';
import { CSVLogger } from '../../src/trainer/loggers/csv-logger.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

const root = mkdtempSync(join(tmpdir(), 'kindling-last-logger-'));
beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function fitWarnings(): Promise<string[]> {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    const trainer = new Trainer({ maxEpochs: 1, enableProgressBar: false, logger: new CSVLogger({ saveDir: root }), callbacks: [new ModelCheckpoint({ saveLast: true })] });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' });
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listener);
  }
  return warnings.filter((w) => w.startsWith("ckptPath: 'last'"));
}

describe("ckptPath: 'last' under a logger's version directory", () => {
  it('warns, on the restart that finds nothing, that the version directory is new and to give a dirpath', async () => {
    await fitWarnings();
    const [warning] = await fitWarnings();
    expect(warning).toContain(`there is no complete checkpoint in ${join(root, 'kindling_logs', 'version_1', 'checkpoints')}`);
    expect(warning).toContain("a new version directory for every run: give ModelCheckpoint a dirpath, or the logger a fixed version, to resume with 'last'");
  });
});
