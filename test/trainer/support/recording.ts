/** A callback and a module that record every hook call (`cb:onTrainStart`, `m:onTrainStart`, …) into a shared list. */
import { Callback } from '../../../src/components/callbacks/callback.js';
import { TinyRegressor } from './tiny.js';

export const CALLBACK_HOOKS = [
  'setup', 'teardown', 'onException', 'onFitStart', 'onFitEnd', 'onSanityCheckStart', 'onSanityCheckEnd',
  'onTrainStart', 'onTrainEnd', 'onTrainEpochStart', 'onTrainEpochEnd', 'onTrainBatchStart', 'onTrainBatchEnd',
  'onBeforeBackward', 'onAfterBackward', 'onBeforeOptimizerStep', 'onBeforeZeroGrad',
  'onValidationStart', 'onValidationEnd', 'onValidationEpochStart', 'onValidationEpochEnd', 'onValidationBatchStart', 'onValidationBatchEnd',
  'onTestStart', 'onTestEnd', 'onTestEpochStart', 'onTestEpochEnd', 'onTestBatchStart', 'onTestBatchEnd',
  'onPredictStart', 'onPredictEnd', 'onPredictEpochStart', 'onPredictEpochEnd', 'onPredictBatchStart', 'onPredictBatchEnd',
  'onSaveCheckpoint', 'onLoadCheckpoint',
] as const;

const MODULE_HOOKS = CALLBACK_HOOKS.filter((h) => h !== 'onException' && h !== 'onSanityCheckStart' && h !== 'onSanityCheckEnd');

export class RecordingCallback extends Callback {
  constructor(readonly calls: string[], readonly tag = 'cb') {
    super();
    for (const hook of CALLBACK_HOOKS) {
      (this as unknown as Record<string, () => void>)[hook] = () => {
        calls.push(`${tag}:${hook}`);
      };
    }
  }
}

export class RecordingModule extends TinyRegressor {
  constructor(readonly calls: string[]) {
    super();
    for (const hook of MODULE_HOOKS) {
      const base = (TinyRegressor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[hook]!;
      (this as unknown as Record<string, (...a: unknown[]) => unknown>)[hook] = (...args: unknown[]) => {
        calls.push(`m:${hook}`);
        return base.apply(this, args);
      };
    }
  }
}
