/**
 * One training process of the flagship (main.ts starts it, kills it and starts it again):
 *
 *   tsx examples/digits-classifier/train.ts <runDir> [--resume <checkpoint>] [--progress]
 *
 * Trains the DigitsClassifier on the shipped digits with ModelCheckpoint (best by val_acc, and last.ckpt), EarlyStopping
 * on val_loss, the AccuracyJournal and a CSVLogger, all under `<runDir>`; with `--resume` it continues from that
 * checkpoint. At the end it saves the whole trainer state to `<runDir>/final.ckpt` and prints one `result {json}` line.
 */
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { CSVLogger, EarlyStopping, initEngine, ModelCheckpoint, ProgressBar } from 'kindling';
import { readCheckpointInfo } from 'kindling/checkpoint';
// The Trainer is not exported from 'kindling' yet; user code will import it from there.
import { Trainer } from '../../src/trainer/trainer.js';
import { DigitsDataModule } from '../data/digits-data-module.js';
import { AccuracyJournal } from './accuracy-journal.js';
import { DigitsClassifier } from './classifier.js';

export const MAX_EPOCHS = 12;
const BATCH_SIZE = 64;
/** 1797 digits, a tenth held out: 1618 for training, 26 batches of 64 (the last one smaller). */
const STEPS_PER_EPOCH = 26;

export interface TrainResult {
  epochs: number;
  globalStep: number;
  valAcc: number;
  bestEpoch: number | null;
  stoppedEarly: boolean;
  finalCheckpointBytes: number;
  finalSaveMs: number;
  resumedFrom: string | null;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runDir = args[0];
  if (runDir === undefined || runDir.startsWith('--')) throw new Error('usage: train.ts <runDir> [--resume <checkpoint>] [--progress]');
  const resumeAt = args.indexOf('--resume');
  const resume = resumeAt >= 0 ? args[resumeAt + 1] : undefined;
  await initEngine();
  // ModelCheckpoint does not create its directory yet (saves fail with ENOENT); reported to its owners.
  mkdirSync(join(runDir, 'checkpoints'), { recursive: true });

  const journal = new AccuracyJournal((line) => console.log(line));
  const earlyStopping = new EarlyStopping({ monitor: 'val_loss', mode: 'min', patience: 3 });
  const callbacks = [
    journal,
    earlyStopping,
    new ModelCheckpoint({ dirpath: join(runDir, 'checkpoints'), monitor: 'val_acc', mode: 'max', saveTopK: 1, saveLast: true }),
    // A bar on a terminal; elsewhere (a pipe, CI) a line every half epoch.
    ...(args.includes('--progress') ? [new ProgressBar({ lineEvery: 13 })] : []),
  ];
  const trainer = new Trainer({
    maxEpochs: MAX_EPOCHS,
    seed: 2026,
    defaultRootDir: runDir,
    callbacks,
    logger: new CSVLogger({ saveDir: runDir, flushEveryNSteps: 1 }),
    logEveryNSteps: 1,
    numSanityValSteps: 0,
  });
  const model = new DigitsClassifier({ warmupSteps: STEPS_PER_EPOCH, totalSteps: MAX_EPOCHS * STEPS_PER_EPOCH });
  await trainer.fit(model, { datamodule: new DigitsDataModule({ batchSize: BATCH_SIZE, valFraction: 0.1, seed: 0 }) }, { ckptPath: resume });

  const final = join(runDir, 'final.ckpt');
  const t0 = performance.now();
  await trainer.saveCheckpoint(final);
  const finalSaveMs = performance.now() - t0;
  const result: TrainResult = {
    epochs: trainer.currentEpoch,
    globalStep: trainer.globalStep,
    valAcc: trainer.callbackMetrics['val_acc'] ?? Number.NaN,
    bestEpoch: journal.bestEpoch,
    stoppedEarly: trainer.currentEpoch < MAX_EPOCHS,
    finalCheckpointBytes: (await readCheckpointInfo(final)).fileBytes,
    finalSaveMs,
    resumedFrom: resume ?? null,
  };
  console.log(`result ${JSON.stringify(result)}`);
}

await main();
