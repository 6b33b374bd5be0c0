/**
 * The training run the crash soak (scripts/soak.ts) kills: an MLP with dropout on the shipped digits, trained by
 * kindling's Trainer with momentum SGD from a shuffling DataLoader, checkpointed by a real ModelCheckpoint every
 * `--every` optimizer steps into `<dir>` (the latest file kept; `--keep-all` keeps every one, for the uninterrupted
 * run). It resumes with `ckptPath: 'last'`: the trainer finds the newest complete checkpoint in `<dir>` itself, and
 * the ModelCheckpoint removes the temporary files killed saves left there when it is set up; the child does nothing
 * of its own for a restart. When it reaches `--steps` it writes
 * `<dir>/final.ckpt` (the whole state) and exits.
 *
 *   tsx scripts/soak-child.ts <dir> [--steps 400] [--every 4] [--keep-all]
 *
 * It tells the soak where it is, one line on stdout each: `started 0` or `resumed <step> <file>`, `saving <step>`
 * before a save and `saved <step>` once it is written, `done <step>`.
 */
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
  ModelCheckpoint,
  Module,
  type OptimizersConfig,
  persist,
  SGD,
  stateful,
  Trainer,
  type TrainerView,
} from 'kindling';
import { SoakMlpState } from './soak-child.state.generated.js';
import { countOption } from './cli-args.js';

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

/**
 * Says on stdout where the run is, for the soak to time its kills: `saving <step>` just before ModelCheckpoint (which
 * runs after every other callback) saves, and `saved <step>` at the next batch start, when the trainer has waited
 * for the write.
 */
class Announce extends Callback {
  private pending: number | undefined;

  constructor(private readonly every: number) {
    super();
  }

  override onTrainStart(trainer: TrainerView): void {
    console.log(trainer.ckptPath === undefined ? 'started 0' : `resumed ${trainer.globalStep} ${trainer.ckptPath}`);
  }

  override onTrainBatchStart(): void {
    if (this.pending !== undefined) console.log(`saved ${this.pending}`);
    this.pending = undefined;
  }

  override onTrainBatchEnd(trainer: TrainerView): void {
    if (trainer.globalStep % this.every !== 0) return;
    console.log(`saving ${trainer.globalStep}`);
    this.pending = trainer.globalStep;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dir = args[0];
  if (dir === undefined || dir.startsWith('--')) throw new Error('usage: soak-child.ts <dir> [--steps N] [--every K] [--keep-all]');
  const steps = countOption(args, 'steps', 400);
  const every = countOption(args, 'every', 4);
  await initEngine();

  const checkpoint = new ModelCheckpoint({ dirpath: dir, everyNTrainSteps: every, saveTopK: args.includes('--keep-all') ? -1 : 1 });
  const trainer = new Trainer({
    maxSteps: steps,
    seed: 11,
    defaultRootDir: dir,
    callbacks: [new Announce(every), checkpoint],
    enableProgressBar: false,
    logger: false,
  });
  const loader = new DataLoader(await loadDigits(), { batchSize: 32, shuffle: true, generator: new Generator(5) });
  await trainer.fit(new SoakMlp(), { trainDataloaders: loader }, { ckptPath: 'last' });
  await trainer.saveCheckpoint(join(dir, 'final.ckpt'));
  console.log(`done ${trainer.globalStep}`);
}

await main();
