/** A TrainerView with plain fields that a test sets, and a checkpoint that records the callbacks' states. */
import type { StateTree } from '../../../../src/checkpoint/types.js';
import type { Callback } from '../../../../src/components/callbacks/callback.js';
import type {
  Metrics,
  SaveCheckpointOptions,
  TrainerLrScheduler,
  TrainerOptimizer,
  TrainerState,
  TrainerView,
} from '../../../../src/components/callbacks/trainer-view.js';
import { Precision32 } from '../../../../src/components/precision/precision-32.js';
import type { MemoryIO } from './memory-io.js';

export class FakeTrainer implements TrainerView {
  currentEpoch = 0;
  globalStep = 0;
  maxEpochs: number | undefined = 10;
  maxSteps = -1;
  minEpochs: number | undefined = undefined;
  callbackMetrics: Record<string, number> = {};
  loggedMetrics: Metrics = {};
  progressBarMetrics: Record<string, number> = {};
  shouldStop = false;
  state: TrainerState = { fn: 'fit', stage: 'train', status: 'running' };
  sanityChecking = false;
  defaultRootDir = '/root';
  logDir = '/root';
  optimizers: Record<string, TrainerOptimizer> = {};
  lrSchedulers: Record<string, TrainerLrScheduler> = {};
  precision = new Precision32();
  accumulateGradBatches = 1;
  logEveryNSteps = 1;
  loggers: { name: string; version: number | string }[] = [{ name: 'fake', version: 0 }];
  numTrainingBatches = 10;
  numValBatches: number[] = [2];
  valCheckBatch = 10;
  checkValEveryNEpoch: number | undefined = 1;
  isLastBatch = false;
  callbacks: Callback[] = [];
  ckptPath: string | undefined;
  readonly logged: { metrics: Metrics; step: number }[] = [];
  readonly saved: string[] = [];

  constructor(private readonly io?: MemoryIO) {}

  logMetrics(metrics: Metrics, step: number): void {
    this.logged.push({ metrics: { ...metrics }, step });
  }

  dumpCheckpoint(options: SaveCheckpointOptions = {}): StateTree {
    const callbacks: Record<string, StateTree> = {};
    if (options.weightsOnly !== true) for (const cb of this.callbacks) callbacks[cb.stateKey] = cb.stateDict() as StateTree;
    return { epoch: this.currentEpoch, globalStep: this.globalStep, callbacks };
  }

  async saveCheckpoint(path: string, options?: SaveCheckpointOptions): Promise<void> {
    this.saved.push(path);
    await this.io?.save(path, this.dumpCheckpoint(options));
  }
}
