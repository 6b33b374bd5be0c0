/** The Callback base class: its state key (Lightning's `state_key` rule) and its (empty) generated state. */
import { Callback, CallbackState, type StateIdentity } from 'kindling';
import { describe, expect, it } from 'vitest';

class Plain extends Callback {}

class EarlyStopping extends Callback {
  constructor(
    private readonly monitor: string,
    private readonly mode: 'min' | 'max',
    readonly patience: number,
  ) {
    super();
  }

  protected override stateIdentity(): StateIdentity {
    // Not patience: a user may change it when resuming and keep the state.
    return { monitor: this.monitor, mode: this.mode };
  }
}

class WindowedStopping extends EarlyStopping {
  constructor(private readonly window: number | null) {
    super('val_loss', 'min', 3);
  }

  protected override stateIdentity(): StateIdentity {
    return { ...super.stateIdentity(), window: this.window };
  }
}

class Broken extends Callback {
  protected override stateIdentity(): StateIdentity {
    return { threshold: Number.NaN };
  }
}

describe('Callback.stateKey', () => {
  it('is the class name when no argument defines identity', () => {
    expect(new Plain().stateKey).toBe('Plain');
  });

  it('appends the identity arguments as JSON, in their order', () => {
    expect(new EarlyStopping('val_loss', 'min', 3).stateKey).toBe('EarlyStopping{"monitor":"val_loss","mode":"min"}');
    expect(new EarlyStopping('val_loss', 'min', 10).stateKey).toBe(new EarlyStopping('val_loss', 'min', 3).stateKey);
    expect(new EarlyStopping('val_acc', 'max', 3).stateKey).toBe('EarlyStopping{"monitor":"val_acc","mode":"max"}');
  });

  it('lets a subclass extend its parent\'s identity', () => {
    expect(new WindowedStopping(null).stateKey).toBe('WindowedStopping{"monitor":"val_loss","mode":"min","window":null}');
  });

  it('refuses identity values JSON cannot tell apart', () => {
    expect(() => new Broken().stateKey).toThrow(/Broken\.stateIdentity\(\)\.threshold is NaN/);
  });
});

describe('Callback state', () => {
  it('is empty, and is the generated state a subclass inherits', () => {
    const cb = new Plain();
    expect(cb.stateDict()).toEqual({});
    expect(cb.loadStateDict({})).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(CallbackState.className).toBe('Callback');
    expect(CallbackState.fields).toEqual([]);
  });
});

describe('Callback hooks', () => {
  // Lightning 2.x's Callback hooks (lightning/pytorch/callbacks/callback.py), in camelCase.
  const lightningHooks = [
    'setup', 'teardown', 'onException', 'onFitStart', 'onFitEnd', 'onSanityCheckStart', 'onSanityCheckEnd',
    'onTrainStart', 'onTrainEnd', 'onTrainEpochStart', 'onTrainEpochEnd', 'onTrainBatchStart', 'onTrainBatchEnd',
    'onBeforeBackward', 'onAfterBackward', 'onBeforeOptimizerStep', 'onBeforeZeroGrad',
    'onValidationStart', 'onValidationEnd', 'onValidationEpochStart', 'onValidationEpochEnd', 'onValidationBatchStart', 'onValidationBatchEnd',
    'onTestStart', 'onTestEnd', 'onTestEpochStart', 'onTestEpochEnd', 'onTestBatchStart', 'onTestBatchEnd',
    'onPredictStart', 'onPredictEnd', 'onPredictEpochStart', 'onPredictEpochEnd', 'onPredictBatchStart', 'onPredictBatchEnd',
    'onSaveCheckpoint', 'onLoadCheckpoint',
  ];

  it('has every Lightning hook, and each does nothing by default', () => {
    const own = Object.getOwnPropertyNames(Callback.prototype).filter((name) => name !== 'constructor' && name !== 'stateKey' && name !== 'hookOrder' && name !== 'stateIdentity' && name !== 'stateDict' && name !== 'loadStateDict');
    expect(own.sort()).toEqual([...lightningHooks].sort());
    const callback = new Plain();
    const checkpoint = { epoch: 1 };
    for (const hook of lightningHooks) {
      const fn = (callback as unknown as Record<string, (...args: unknown[]) => unknown>)[hook]!;
      expect(fn.call(callback, {}, {}, checkpoint)).toBeUndefined();
    }
    expect(checkpoint).toEqual({ epoch: 1 });
    expect(callback.hookOrder).toBe('default');
  });
});
