/**
 * Every ```ts block of README.md and docs/*.md, registered with the file it is saved as and the scaffolding a reader
 * adds around it (imports, `declare const x` for what the prose defines, a class around a method): test/e2e/docs-blocks
 * extracts the blocks, writes them into a project that uses kindling as a user does (extending
 * kindling/tsconfig.base.json), runs `kindling codegen` and type-checks it. A block must compile as it stands; only
 * the scaffolding here is added. A doc whose block count differs from its list here fails, so a new block is
 * registered (and checked) when it is written.
 */

export interface BlockSpec {
  /** Path of the file in the scratch project; blocks with the same file are concatenated in order. */
  readonly file: string;
  /** Scaffolding before the block (imports, declarations). */
  readonly before?: string;
  /** Scaffolding after the block (a closing brace, checks of what the block's comments claim). */
  readonly after?: string;
  /** A placeholder in the block (`{ … }`) and what a reader writes there. */
  readonly fill?: readonly [string, string];
  /** Error messages the block shows on purpose (the doc says "tsc: …"); each must occur, and no other error. */
  readonly errors?: readonly string[];
  /** A block that changes global types (a module augmentation) is checked in a program of its own. */
  readonly separate?: boolean;
}

/** Mutual assignability, for blocks that restate a type kindling defines. */
const MUTUAL = 'type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;\n';

/** Files a block imports that are the reader's own, with no block of their own. */
export const SUPPORT_FILES: Readonly<Record<string, string>> = {
  'resume/my-model.ts': [
    "import type { DataLoader, DigitsSample, Module } from 'kindling';",
    'export declare const MyModel: new () => Module;',
    'export declare function makeTrain(): DataLoader<DigitsSample>;',
    'export declare function makeVal(): DataLoader<DigitsSample>;',
    '',
  ].join('\n'),
};

const constructed = (file: string, names: string): BlockSpec => ({
  file,
  before: `import { ${names} } from 'kindling';\nexport const value =\n`,
});

export const DOC_BLOCKS: Readonly<Record<string, readonly BlockSpec[]>> = {
  'README.md': [{ file: 'readme/first-model.ts' }, { file: 'readme/counting.ts' }, { file: 'readme/early-stopping.ts' }],
  'docs/callbacks.md': [
    { file: 'callbacks/batch-counter.ts' },
    {
      file: 'callbacks/checked-batch-counter.ts',
      before:
        "import { Callback, checkedState, persist, stateful } from 'kindling';\n" +
        "import { BatchCounterState } from './checked-batch-counter.state.generated.js';\n",
      fill: ['{ … }', '{\n  @persist() batches = 0;\n  @persist() bestLoss: number | null = null;\n}'],
    },
    constructed('callbacks/early-stopping.ts', 'EarlyStopping'),
    constructed('callbacks/model-checkpoint.ts', 'ModelCheckpoint'),
    constructed('callbacks/timer.ts', 'Timer'),
    constructed('callbacks/lr-monitor.ts', 'LearningRateMonitor'),
    constructed('callbacks/backbone-finetuning.ts', 'BackboneFinetuning'),
    {
      file: 'callbacks/backbone-param-groups.ts',
      before:
        "import * as tf from '@tensorflow/tfjs-core';\nimport { AdamW, Linear, Module } from 'kindling';\n" +
        'export class WithBackbone extends Module {\n  backbone = new Linear(4, 4);\n  head = new Linear(4, 2);\n' +
        '  trainingStep(): tf.Scalar {\n    return tf.scalar(0);\n  }\n',
      after: '}\n',
    },
    constructed('callbacks/ema.ts', 'EMAWeightAveraging'),
    constructed('callbacks/csv-logger.ts', 'CSVLogger, Trainer'),
  ],
  'docs/data.md': [
    { file: 'data/loader.ts' },
    {
      file: 'data/loader-state.ts',
      before: "import type { DataLoaderState as Real, SamplerState } from 'kindling';\n",
      after: `${MUTUAL}export const same: Mutual<DataLoaderState, Real> = true;\n`,
    },
    {
      file: 'data/data-module-state.ts',
      before:
        "import type { DataLoaderState } from 'kindling';\n" +
        "import type { DigitsDataModuleState as Real } from '../../../../examples/data/digits-data-module.state.generated.js';\n",
      after: `${MUTUAL}export const same: Mutual<DigitsDataModuleState, Real> = true;\n`,
    },
  ],
  'docs/guide-manual-training.md': [
    { file: 'guide/mlp.ts' },
    {
      file: 'guide/mlp-state-excerpt.ts',
      before:
        "import type { LayerState, LinearState, ModuleState, Tensor } from 'kindling';\n" +
        "import type { MlpState as Real } from './mlp.state.generated.js';\n",
      after:
        `${MUTUAL}export const same: Mutual<MlpState, Real> = true;\n` +
        'export const linear: Mutual<LinearState, LayerState & { weight: Tensor; bias: Tensor | null }> = true;\n',
    },
    {
      file: 'guide/optimizer-state.ts',
      before: "import type { AdamW, Tensor } from 'kindling';\ndeclare const optimizer: AdamW;\n",
      after:
        `${MUTUAL}type ParamState = NonNullable<ReturnType<AdamW['stateDict']>['state'][string]>;\n` +
        'export const state: Mutual<ParamState, { step: number; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor }> = true;\n',
    },
    { file: 'guide/train.ts' },
    { file: 'guide/train.ts' },
    { file: 'guide/weights.ts', before: "import type { Mlp } from './mlp.js';\ndeclare const model: Mlp;\n" },
  ],
  'docs/resume-training.md': [
    { file: 'resume/resume.ts' },
    {
      file: 'resume/last.ts',
      before: "import type { FitData, Module, Trainer } from 'kindling';\ndeclare const trainer: Trainer;\ndeclare const model: Module;\ndeclare const data: FitData;\n",
      after: 'export const resumedFrom: string | undefined = trainer.ckptPath;\n',
    },
    {
      file: 'resume/read-checkpoint.ts',
      before:
        "import type { EarlyStopping, EarlyStoppingState, Tensor } from 'kindling';\nimport type { Mlp } from '../guide/mlp.js';\n" +
        'declare const model: Mlp;\ndeclare const earlyStopping: EarlyStopping;\n',
      after:
        'export const completed: number = checkpoint.loops.fitLoop.epochProgress.current.completed;\n' +
        'export const weight: Tensor = checkpoint.module.fc1.weight;\n' +
        "export const wait: EarlyStoppingState['waitCount'] = stateOf(checkpoint, earlyStopping).waitCount;\n",
      errors: ["Property 'patiense' does not exist"],
    },
  ],
  'docs/tensors.md': [
    {
      file: 'tensors/tensor.ts',
      before: "import type { DType, Tensor as Real, TypedArrayOf } from 'kindling';\n",
      after: `${MUTUAL}export const same: Mutual<Tensor, Real> = true;\nexport const int64: Mutual<Tensor<'int64'>, Real<'int64'>> = true;\n`,
    },
    { file: 'tensors/model.ts' },
    {
      file: 'augment/value-kind-states.ts',
      before: "import type { ValueKindState } from 'kindling';\n",
      after: "export const saved: ValueKindState<'myorg.Histogram'> = [1, 2];\n",
      separate: true,
    },
    {
      file: 'tensors/codec.ts',
      before:
        "import { persist, stateful } from 'kindling';\nimport { Histogram, histogramKind } from './model.js';\n" +
        "import { CodecModelState } from './codec.state.generated.js';\n@stateful(CodecModelState)\nexport class CodecModel {\n",
      after: '}\n',
    },
  ],
};
