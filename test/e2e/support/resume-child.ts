/**
 * One process of the exact-resume tests (test/e2e/exact-resume.test.ts):
 *
 *   tsx test/e2e/support/resume-child.ts '<json RunConfig>'
 *
 * A reference run trains uninterrupted and, at the moments listed in `saveAt`, writes the checkpoint the trainer
 * would write then (its `dumpCheckpoint()`, serialized synchronously, so that the file holds exactly the state of that
 * moment; or through an AsyncCheckpointSaver that writes in the background while training goes on). A resumed run
 * starts from one of those files with `ckptPath`. Both write their final state to `final` and their metrics to
 * `<runDir>/kindling_logs/version_0/metrics.csv`.
 *
 * The module is a small MLP on a slice of the shipped digits. Its parameters are saved by a hand-written
 * stateDict/loadStateDict (validate, then assign), because Linear's generated state does not carry its Parameters yet;
 * the optimizer is SGD without momentum, whose state (param groups) is generated.
 */
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import {
  Callback,
  CSVLogger,
  crossEntropy,
  DataLoader,
  Dropout,
  DynamicLossScaling,
  type DynamicLossScalingOptions,
  EarlyStopping,
  fromTfTensor,
  Generator,
  initEngine,
  isTensor,
  Linear,
  loadDigits,
  ModelCheckpoint,
  Module,
  type OptimizersConfig,
  randomSplit,
  SGD,
  StateError,
  type StateIssue,
  StepLR,
  Subset,
  type Tensor,
  toTfTensor,
  Trainer,
  type TrainerView,
} from 'kindling';
import { AsyncCheckpointSaver, serializeCheckpoint } from 'kindling/checkpoint';

export type SaveHook = 'onTrainBatchEnd' | 'onValidationEnd' | 'onTrainEpochStart' | 'onTrainEpochEnd';

export interface SavePoint {
  readonly hook: SaveHook;
  /** Save when the hook runs with this global step, in this epoch, or for the n-th time (1-based); each given must hold. */
  readonly step?: number;
  readonly epoch?: number;
  readonly call?: number;
  readonly file: string;
  /** Write through an AsyncCheckpointSaver (background write, snapshot taken at the call). */
  readonly async?: boolean;
}

export interface RunConfig {
  readonly runDir: string;
  readonly final: string;
  readonly resumeFrom?: string;
  readonly saveAt?: readonly SavePoint[];
  readonly accumulateGradBatches?: number;
  /** Train under DynamicLossScaling with these options (default: float32 without a loss scale). */
  readonly lossScaling?: DynamicLossScalingOptions;
  /**
   * Global steps (the step a batch's gradients are for, from 0) whose loss is multiplied by Infinity: its gradients are
   * not finite, so DynamicLossScaling skips that optimizer step and backs the scale off.
   */
  readonly nonFiniteLossAtSteps?: readonly number[];
  /**
   * Also checkpoint with a ModelCheckpoint that writes in the background (`asyncSave`) every `everyNTrainSteps`
   * optimizer steps into `dirpath`, keeping every file under its `{epoch}-{step}` name (a resumed run given the same
   * dirpath overwrites the files it writes again).
   */
  readonly modelCheckpoint?: { readonly dirpath: string; readonly everyNTrainSteps: number };
}

type Batch = { image: tf.Tensor2D; label: tf.Tensor1D };

class ResumeMlp extends Module {
  fc1: Linear;
  fc2: Linear;
  readonly dropout = new Dropout(0.25);

  constructor(private readonly nonFiniteAt: readonly number[] = []) {
    super();
    const generator = new Generator(3);
    this.fc1 = new Linear(64, 24, { generator });
    this.fc2 = new Linear(24, 10, { generator });
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(this.dropout.forward(tf.relu(this.fc1.forward(x)))));
  }

  trainingStep(batch: Batch): tf.Scalar {
    const poisoned = this.nonFiniteAt.includes(this.trainerLink?.globalStep ?? -1);
    const loss = tf.tidy(() => {
      const value = crossEntropy(this.forward(batch.image), batch.label) as tf.Scalar;
      return poisoned ? tf.mul(value, Infinity) as tf.Scalar : value;
    });
    this.log('train_loss', loss, { progBar: true });
    return loss;
  }

  validationStep(batch: Batch): void {
    tf.tidy(() => this.log('val_loss', crossEntropy(this.forward(batch.image), batch.label)));
  }

  configureOptimizers(): OptimizersConfig {
    const optimizer = new SGD(this.namedParameters(), { lr: 0.3 });
    // The LR halves every 10 optimizer steps: resuming at step 10 or 20 resumes at a change of the schedule.
    return { optimizer, lrScheduler: { scheduler: new StepLR(optimizer, { stepSize: 10, gamma: 0.5 }), interval: 'step' } };
  }

  override stateDict(): Record<string, Tensor> {
    return Object.fromEntries(this.namedParameters().map(([name, p]) => [name, fromTfTensor(p.variable, name)]));
  }

  override loadStateDict(state: never): { missingKeys: string[]; unexpectedKeys: string[] } {
    const s = state as Record<string, unknown>;
    const issues: StateIssue[] = [];
    for (const [name, p] of this.namedParameters()) {
      const t = s[name];
      if (!isTensor(t) || t.dtype !== 'float32' || t.shape.join(',') !== p.shape.join(',')) {
        issues.push({ path: `ResumeMlp.${name}`, kind: 'type', expected: p.describe(), actual: isTensor(t) ? `${t.dtype}[${t.shape}]` : typeof t });
      }
    }
    if (issues.length > 0) throw new StateError(issues);
    for (const [name, p] of this.namedParameters()) {
      const value = toTfTensor(s[name] as Tensor, name);
      p.assign(value, name);
      value.dispose();
    }
    return { missingKeys: [], unexpectedKeys: [] };
  }
}

/** Writes the trainer's checkpoint at the configured moments. Runs after the monitors (EarlyStopping), as ModelCheckpoint does. */
class SaveAt extends Callback {
  readonly saver = new AsyncCheckpointSaver();
  private readonly calls = new Map<SaveHook, number>();

  constructor(private readonly points: readonly SavePoint[]) {
    super();
    for (const hook of new Set(points.map((p) => p.hook))) {
      this[hook] = (trainer: TrainerView) => this.maybeSave(hook, trainer);
    }
  }

  override get hookOrder(): 'checkpoint' {
    return 'checkpoint';
  }

  private maybeSave(hook: SaveHook, trainer: TrainerView): void {
    if (trainer.sanityChecking) return;
    const call = (this.calls.get(hook) ?? 0) + 1;
    this.calls.set(hook, call);
    for (const point of this.points) {
      if (point.hook !== hook) continue;
      if ((point.step ?? trainer.globalStep) !== trainer.globalStep || (point.epoch ?? trainer.currentEpoch) !== trainer.currentEpoch || (point.call ?? call) !== call) continue;
      if (point.async === true) {
        // Not awaited, as a trainer would not wait for a background save: the snapshot is taken at the call.
        void this.saver.save(point.file, trainer.dumpCheckpoint());
      } else {
        writeFileSync(point.file, Buffer.concat(serializeCheckpoint(trainer.dumpCheckpoint()).map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))));
      }
    }
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as RunConfig;
  await initEngine();
  // 512 of the digits: 448 to train on (7 batches of 64), 64 to validate on.
  const digits = await loadDigits();
  const slice = new Subset(digits, Array.from({ length: 512 }, (_, i) => i));
  const [trainSet, valSet] = randomSplit(slice, [448, 64], new Generator(1));
  const trainLoader = new DataLoader(trainSet!, { batchSize: 64, shuffle: true, prefetch: 2, generator: new Generator(9) });
  const valLoader = new DataLoader(valSet!, { batchSize: 32 });

  const saveAt = new SaveAt(config.saveAt ?? []);
  const mc = config.modelCheckpoint;
  const modelCheckpoint = mc === undefined ? undefined : new ModelCheckpoint({ ...mc, saveTopK: -1, asyncSave: true, enableVersionCounter: false });
  const trainer = new Trainer({
    maxEpochs: 4,
    seed: 2026,
    valCheckInterval: 0.5,
    numSanityValSteps: 0,
    accumulateGradBatches: config.accumulateGradBatches ?? 1,
    ...(config.lossScaling === undefined ? {} : { precision: new DynamicLossScaling(config.lossScaling) }),
    defaultRootDir: config.runDir,
    logger: new CSVLogger({ saveDir: config.runDir, version: 0, flushEveryNSteps: 1 }),
    logEveryNSteps: 1,
    callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 0.07 }), saveAt, ...(modelCheckpoint === undefined ? [] : [modelCheckpoint])],
  });
  await trainer.fit(new ResumeMlp(config.nonFiniteLossAtSteps), { trainDataloaders: trainLoader as never, valDataloaders: valLoader as never }, { ckptPath: config.resumeFrom });
  await saveAt.saver.close();
  await modelCheckpoint?.flush();
  await trainer.saveCheckpoint(config.final);
  console.log(JSON.stringify({ globalStep: trainer.globalStep, epoch: trainer.currentEpoch }));
}

await main();
