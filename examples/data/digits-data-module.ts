import {
  DataLoader,
  DataModule,
  type DigitsSample,
  Generator,
  loadDigits,
  persist,
  randomSplit,
  type Stage,
  stateful,
  type Subset,
} from 'kindling';
import { DigitsDataModuleState } from './digits-data-module.state.generated.js';

type Split = Subset<DigitsSample>;

/** A type alias, not an interface: only object types fit `HParams`'s index signature. */
export type DigitsHparams = {
  readonly batchSize: number;
  readonly valFraction: number;
  readonly seed: number;
};

/**
 * The shipped digits as a DataModule: a seeded train/validation split, a shuffling train loader and a sequential
 * validation loader. `curriculumStage` is an example of a datamodule's own state: it is saved and restored with the
 * loaders' positions.
 */
@stateful(DigitsDataModuleState)
export class DigitsDataModule extends DataModule {
  override hparams: DigitsHparams;
  @persist() curriculumStage = 0;
  private train: Split | undefined;
  private val: Split | undefined;

  constructor(hparams: Partial<DigitsHparams> = {}) {
    super();
    this.hparams = { batchSize: 64, valFraction: 0.1, seed: 0, ...hparams };
  }

  override async setup(_stage: Stage): Promise<void> {
    const all = await loadDigits();
    const { valFraction, seed } = this.hparams;
    [this.train, this.val] = randomSplit(all, [1 - valFraction, valFraction], new Generator(seed));
  }

  override trainDataloader() {
    return new DataLoader(this.ready(this.train), {
      batchSize: this.hparams.batchSize,
      shuffle: true,
      generator: new Generator(this.hparams.seed).derive(1),
    });
  }

  override valDataloader() {
    return new DataLoader(this.ready(this.val), { batchSize: this.hparams.batchSize });
  }

  private ready(split: Split | undefined): Split {
    if (split === undefined) throw new Error('DigitsDataModule: call setup() before asking for a loader');
    return split;
  }
}
