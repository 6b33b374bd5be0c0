/**
 * The training run the crash soak (scripts/soak.ts) kills: an MLP with dropout on the shipped digits, trained with
 * momentum SGD from a shuffling DataLoader, saving a checkpoint every `--every` steps into `<dir>`. On start it
 * resumes from the newest complete checkpoint in `<dir>` (if any), after sweeping the temporary files killed saves
 * left behind. When it reaches `--steps` it writes `<dir>/final.ckpt` (the whole state) and exits.
 *
 *   tsx scripts/soak-child.ts <dir> [--steps 400] [--every 4] [--keep 3]
 *
 * It tells the soak where it is, one line on stdout each: `started 0` or `resumed <step> <file>`, `saving <step>`
 * before a save and `saved <step>` after it, `done <step>`.
 *
 * The loop is written by hand (Module + optimizer + DataLoader + saveCheckpoint of every part's state) so that it
 * exercises the layers below the Trainer. What it saves: the parameters by torch name and the optimizer's momentum
 * buffers (read from the tfjs variables, since the module and optimizer classes on main do not persist tensors yet),
 * and the generated `stateDict()` of the DataLoader (epoch, position, sampler seed) and of the dropout generator.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import {
  crossEntropy,
  DataLoader,
  Dropout,
  fromTfTensor,
  Generator,
  type GeneratorState,
  initEngine,
  Linear,
  loadDigits,
  type DataLoaderState,
  Module,
  type OptimizersConfig,
  ReLU,
  Sequential,
  sgdStep,
  type SgdParamState,
  type StepOutput,
  type Tensor,
  toTfTensor,
  valueAndGrads,
} from 'kindling';
import { loadCheckpoint, saveCheckpoint, type StateTree, sweepStaleTempFiles, verifyCheckpoint } from 'kindling/checkpoint';
import { checkpointName, newestCheckpoint } from './soak-files.js';

type Batch = { image: tf.Tensor2D; label: tf.Tensor1D };

class DigitsMlp extends Module {
  readonly layers: Sequential;

  constructor(generator: Generator, dropout: Generator) {
    super();
    this.layers = new Sequential(
      new Linear(64, 32, { generator }),
      new ReLU(),
      new Dropout(0.1, { generator: dropout }),
      new Linear(32, 10, { generator }),
    );
  }

  override trainingStep(batch: Batch): StepOutput {
    const logits = this.layers.forward(batch.image);
    return crossEntropy(logits, batch.label) as tf.Scalar;
  }

  override configureOptimizers(): OptimizersConfig {
    throw new Error('the soak child drives its optimizer by hand');
  }
}

const LR = 0.1;
const MOMENTUM = 0.9;

interface Run {
  step: number;
  model: DigitsMlp;
  momentum: Map<string, SgdParamState>;
  loader: DataLoader<unknown, Batch>;
  dropout: Generator;
}

async function newRun(): Promise<Run> {
  const dropout = new Generator(11);
  const model = new DigitsMlp(new Generator(7), dropout);
  const loader = new DataLoader(await loadDigits(), { batchSize: 32, shuffle: true, generator: new Generator(5) }) as unknown as DataLoader<unknown, Batch>;
  const momentum = new Map(model.namedParameters().map(([name]) => [name, { momentumBuffer: null } as SgdParamState]));
  return { step: 0, model, momentum, loader, dropout };
}

function stateOf(run: Run): StateTree {
  const params: Record<string, Tensor> = {};
  for (const [name, p] of run.model.namedParameters()) params[name] = fromTfTensor(p.variable, name);
  const momentum: Record<string, Tensor | null> = {};
  for (const [name, s] of run.momentum) momentum[name] = s.momentumBuffer === null ? null : fromTfTensor(s.momentumBuffer, name);
  return { step: run.step, model: params, optimizer: { momentum }, loader: run.loader.stateDict(), dropout: run.dropout.stateDict() };
}

/** Restores a state read from a checkpoint; the generated loads validate before they change anything. */
function restore(run: Run, tree: StateTree): void {
  const { step, model, optimizer, loader, dropout } = tree as unknown as {
    step: number;
    model: Record<string, Tensor>;
    optimizer: { momentum: Record<string, Tensor | null> };
    loader: DataLoaderState;
    dropout: GeneratorState;
  };
  run.loader.loadStateDict(loader);
  run.dropout.loadStateDict(dropout);
  for (const [name, p] of run.model.namedParameters()) {
    const saved = model[name];
    if (saved === undefined) throw new Error(`checkpoint has no parameter ${name}`);
    const value = toTfTensor(saved, name);
    p.assign(value, name);
    value.dispose();
    const buffer = optimizer.momentum[name];
    const entry = run.momentum.get(name)!;
    entry.momentumBuffer?.dispose();
    entry.momentumBuffer = buffer === null || buffer === undefined ? null : tf.variable(toTfTensor(buffer, name), false);
  }
  run.step = step;
}

function trainStep(run: Run, batch: Batch): void {
  const { value, grads } = valueAndGrads(run.model, () => run.model.trainingStep(batch) as tf.Scalar);
  for (const [name, p] of run.model.namedParameters()) {
    const grad = grads[name];
    if (grad !== undefined) sgdStep(p.variable, grad, run.momentum.get(name)!, { lr: LR, momentum: MOMENTUM });
  }
  value.dispose();
  tf.dispose(Object.values(grads));
  run.step += 1;
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
  const every = option(args, 'every', 4);
  const keep = option(args, 'keep', 3);
  await initEngine();
  await sweepStaleTempFiles(dir);

  const run = await newRun();
  const newest = newestCheckpoint(dir);
  if (newest === undefined) {
    console.log('started 0');
  } else {
    await verifyCheckpoint(newest.file);
    restore(run, await loadCheckpoint(newest.file));
    console.log(`resumed ${run.step} ${newest.file}`);
  }

  while (run.step < steps) {
    for await (const batch of run.loader) {
      trainStep(run, batch);
      if (run.step % every === 0) {
        console.log(`saving ${run.step}`);
        await saveCheckpoint(join(dir, checkpointName(run.step)), stateOf(run));
        console.log(`saved ${run.step}`);
        if (Number.isFinite(keep)) {
          const old = join(dir, checkpointName(run.step - keep * every));
          if (run.step - keep * every > 0) rmSync(old, { force: true });
        }
      }
      if (run.step >= steps) break;
    }
  }
  await saveCheckpoint(join(dir, 'final.ckpt'), stateOf(run));
  console.log(`done ${run.step}`);
}

await main();
