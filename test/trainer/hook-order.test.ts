/**
 * The hooks a callback and a module receive during a short fit, in Lightning 2.x's order
 * (tests/tests_pytorch/models/test_hooks.py::test_trainer_model_hook_system_fit, without the hooks kindling does not
 * have: configure_model, on_validation_model_eval/train, the optimizer_step/zero_grad overridables).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../src/components/engine/index.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { RecordingCallback, RecordingModule } from './support/recording.js';
import { loaderOf } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const validation = (prefix: "cb" | "m" | "both") => [
  'cb:onValidationStart', 'm:onValidationStart',
  'cb:onValidationEpochStart', 'm:onValidationEpochStart',
  'cb:onValidationBatchStart', 'm:onValidationBatchStart',
  'cb:onValidationBatchEnd', 'm:onValidationBatchEnd',
  'cb:onValidationEpochEnd', 'm:onValidationEpochEnd',
  'cb:onValidationEnd', 'm:onValidationEnd',
].filter((h) => prefix === 'both' || h.startsWith(prefix));

const trainBatch = [
  'cb:onTrainBatchStart', 'm:onTrainBatchStart',
  'cb:onBeforeZeroGrad', 'm:onBeforeZeroGrad',
  'cb:onBeforeBackward', 'm:onBeforeBackward',
  'cb:onAfterBackward', 'm:onAfterBackward',
  'cb:onBeforeOptimizerStep', 'm:onBeforeOptimizerStep',
  'cb:onTrainBatchEnd', 'm:onTrainBatchEnd',
];

describe('hook order', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('matches Lightning for a fit of one epoch with a sanity check and validation', async () => {
    const calls: string[] = [];
    const trainer = new Trainer({ ...QUIET, maxEpochs: 1, numSanityValSteps: 1, callbacks: [new RecordingCallback(calls)] });
    await trainer.fit(new RecordingModule(calls), { trainDataloaders: loaderOf({ n: 8 }), valDataloaders: loaderOf({ n: 4 }) });
    expect(calls).toEqual([
      'cb:setup', 'm:setup',
      'cb:onFitStart', 'm:onFitStart',
      'cb:onSanityCheckStart', ...validation('both'), 'cb:onSanityCheckEnd',
      'cb:onTrainStart', 'm:onTrainStart',
      'cb:onTrainEpochStart', 'm:onTrainEpochStart',
      ...trainBatch,
      ...trainBatch,
      ...validation('both'),
      'cb:onTrainEpochEnd', 'm:onTrainEpochEnd',
      'cb:onTrainEnd', 'm:onTrainEnd',
      'cb:onFitEnd', 'm:onFitEnd',
      'cb:teardown', 'm:teardown',
    ]);
  });

  it('calls onBeforeZeroGrad and steps once per accumulation window', async () => {
    const calls: string[] = [];
    const trainer = new Trainer({ ...QUIET, maxEpochs: 1, accumulateGradBatches: 2, callbacks: [new RecordingCallback(calls)] });
    await trainer.fit(new RecordingModule(calls), { trainDataloaders: loaderOf({ n: 20 }) });
    const batchHooks = calls.filter((c) => c.startsWith('cb:') && /ZeroGrad|OptimizerStep|TrainBatchStart/.test(c));
    expect(batchHooks).toEqual([
      'cb:onTrainBatchStart', 'cb:onBeforeZeroGrad', 'cb:onTrainBatchStart', 'cb:onBeforeOptimizerStep',
      'cb:onTrainBatchStart', 'cb:onBeforeZeroGrad', 'cb:onTrainBatchStart', 'cb:onBeforeOptimizerStep',
      // five batches: the last window is cut short by the epoch's end and still steps
      'cb:onTrainBatchStart', 'cb:onBeforeZeroGrad', 'cb:onBeforeOptimizerStep',
    ]);
    expect(trainer.globalStep).toBe(3);
  });

  it('calls the test and predict hooks in order', async () => {
    const calls: string[] = [];
    const trainer = new Trainer({ ...QUIET, callbacks: [new RecordingCallback(calls)] });
    const module = new RecordingModule(calls);
    await trainer.test(module, { dataloaders: loaderOf({ n: 4 }) });
    expect(calls).toEqual([
      'cb:setup', 'm:setup',
      'cb:onTestStart', 'm:onTestStart', 'cb:onTestEpochStart', 'm:onTestEpochStart',
      'cb:onTestBatchStart', 'm:onTestBatchStart', 'cb:onTestBatchEnd', 'm:onTestBatchEnd',
      'cb:onTestEpochEnd', 'm:onTestEpochEnd', 'cb:onTestEnd', 'm:onTestEnd',
      'cb:teardown', 'm:teardown',
    ]);
    calls.length = 0;
    await trainer.predict(module, { dataloaders: loaderOf({ n: 4 }) });
    expect(calls.filter((c) => c.startsWith('cb:'))).toEqual([
      'cb:setup', 'cb:onPredictStart', 'cb:onPredictEpochStart', 'cb:onPredictBatchStart', 'cb:onPredictBatchEnd',
      'cb:onPredictEpochEnd', 'cb:onPredictEnd', 'cb:teardown',
    ]);
  });
});
