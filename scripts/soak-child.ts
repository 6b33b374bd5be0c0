/**
 * The training run the crash soak (scripts/soak.ts) kills: an MLP with dropout on the shipped digits, trained by
 * kindling's Trainer with momentum SGD from a shuffling DataLoader, saving the trainer's checkpoint every `--every`
 * optimizer steps into `<dir>`. On start it sweeps the temporary files killed saves left behind and resumes
 * (`ckptPath`) from the newest complete checkpoint in `<dir>`, if any. When it reaches `--steps` it writes
 * `<dir>/final.ckpt` (the whole state) and exits.
 *
 *   tsx scripts/soak-child.ts <dir> [--steps 400] [--every 4] [--keep 3]
 *
 * It tells the soak where it is, one line on stdout each: `started 0` or `resumed <step> <file>`, `saving <step>`
 * before a save and `saved <step>` after it, `done <step>`.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  Callback,
  crossEntropy,
  DataLoader,
  Dropout,
  Generator,
  initEngine,
  Linear,
  loadDigits,
  Module,
  type OptimizersConfig,
  persist,
  SGD,
  stateful,
  Trainer,
  type TrainerView,
} from 'kindling';
import { sweepStaleTempFiles } from 'kindling/checkpoint';
import { SoakMlpState } from './soak-child.state.generated.js';
import { checkpointName, newestCheckpoint } from './soak-files.js';

type Batch = { image: tf.Tensor2D; label: tf.Tensor1D };

@stateful(SoakMlpState)
export class SoakMlp extends Module {
  @persist() fc1: Linear;
  @persist() fc2: Linear;
  /** Its masks come from kindling's default generator, which the trainer checkpoints (`rng`). */
  readonly dropout = new Dropout(0.1);

  constructor() {
    super();
    const generator = new Generator(7);
    this.fc1 = new Linear(64, 32, { generator });
    this.fc2 = new Linear(32, 10, { generator });
  }

  trainingStep(batch: Batch): tf.Scalar {
    return tf.tidy(() => crossEntropy(this.fc2.forward(this.dropout.forward(tf.relu(this.fc1.forward(batch.image)))), batch.label) as tf.Scalar);
  }

  configureOptimizers(): OptimizersConfig {
    return new SGD(this.namedParameters(), { lr: 0.1, momentum: 0.9 });
  }
}

/** Saves the trainer's checkpoint every `every` optimizer steps, keeping the newest `keep`, and says so on stdout. */
class SaveEvery extends Callback {
  constructor(
    private readonly dir: string,
    private readonly every: number,
    private readonly keep: number,
  ) {
    super();
  }

  override async onTrainBatchEnd(trainer: TrainerView): Promise<void> {
    const step = trainer.globalStep;
    if (step % this.every !== 0) return;
    console.log(`saving ${step}`);
    await trainer.saveCheckpoint(join(this.dir, checkpointName(step)));
    console.log(`saved ${step}`);
    const old = step - this.keep * this.every;
    if (old > 0) rmSync(join(this.dir, checkpointName(old)), { force: true });
  }
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (dir === undefined || dir.startsWith('--')) throw new Error('usage: soak-child.ts <dir> [--steps N] [--every K] [--keep K]');
  const steps = option(args, 'steps', 400);
  await initEngine();
  await sweepStaleTempFiles(dir);

  const newest = newestCheckpoint(dir);
  console.log(newest === undefined ? 'started 0' : `resumed ${newest.step} ${newest.file}`);
  const trainer = new Trainer({
    maxSteps: steps,
    seed: 11,
    defaultRootDir: dir,
    callbacks: [new SaveEvery(dir, option(args, 'every', 4), option(args, 'keep', 3))],
    enableCheckpointing: false,
    enableProgressBar: false,
    logger: false,
  });
  const loader = new DataLoader(await loadDigits(), { batchSize: 32, shuffle: true, generator: new Generator(5) });
  await trainer.fit(new SoakMlp(), { trainDataloaders: loader }, { ckptPath: newest?.file });
  await trainer.saveCheckpoint(join(dir, 'final.ckpt'));
  console.log(`done ${trainer.globalStep}`);
}

await main();
