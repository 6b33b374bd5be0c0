/** The built-in callbacks driven through their hooks, as the trainer calls them, on a fake TrainerView. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../src/components/callbacks/early-stopping.js';
import { ModelCheckpoint } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { Timer } from '../../../src/components/callbacks/timer.js';
import type { Module } from '../../../src/components/nn/module.js';
import { FakeTrainer } from './support/fake-trainer.js';
import { MemoryIO } from './support/memory-io.js';

/** These callbacks never touch the module. */
const noModule = undefined as unknown as Module;

describe('EarlyStopping hooks', () => {
  it('checks at the train epoch end when validation runs once per epoch, never in the sanity check', () => {
    const trainer = new FakeTrainer();
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 1 });
    es.setup(trainer);
    expect(es.hookOrder).toBe('monitoring');
    trainer.sanityChecking = true;
    trainer.callbackMetrics = { val_loss: 1 };
    es.onValidationEnd(trainer, noModule);
    es.onTrainEpochEnd(trainer, noModule);
    expect(es.bestScore).toBe(Infinity);
    trainer.sanityChecking = false;
    es.onValidationEnd(trainer, noModule);
    expect(es.bestScore).toBe(Infinity);
    es.onTrainEpochEnd(trainer, noModule);
    expect(es.bestScore).toBe(1);
    trainer.currentEpoch = 1;
    es.onTrainEpochEnd(trainer, noModule);
    expect(trainer.shouldStop).toBe(true);
    expect(es.stoppedEpoch).toBe(1);
  });

  it('checks after each validation when validation runs several times per epoch, and not outside fit', () => {
    const trainer = new FakeTrainer();
    trainer.valCheckBatch = 5;
    const es = new EarlyStopping({ monitor: 'val_loss' });
    es.setup(trainer);
    trainer.callbackMetrics = { val_loss: 2 };
    es.onTrainEpochEnd(trainer, noModule);
    expect(es.bestScore).toBe(Infinity);
    trainer.state = { fn: 'validate', stage: 'validate', status: 'running' };
    es.onValidationEnd(trainer, noModule);
    expect(es.bestScore).toBe(Infinity);
    trainer.state = { fn: 'fit', stage: 'validate', status: 'running' };
    es.onValidationEnd(trainer, noModule);
    expect(es.bestScore).toBe(2);
  });
});

describe('ModelCheckpoint hooks', () => {
  it('runs last, resolves dirpath at setup, saves at the train epoch end by default and the async writes are awaited with flush()', async () => {
    const io = new MemoryIO();
    const trainer = new FakeTrainer(io);
    trainer.logDir = '/root/kindling_logs/version_0';
    const mc = new ModelCheckpoint({ monitor: 'val_loss', io, asyncSave: true });
    trainer.callbacks = [mc];
    expect(mc.hookOrder).toBe('checkpoint');
    mc.setup(trainer);
    expect(mc.dirpath).toBe(path.resolve('/root/kindling_logs/version_0/checkpoints'));
    trainer.callbackMetrics = { val_loss: 0.5 };
    trainer.globalStep = 10;
    await mc.onValidationEnd(trainer, noModule);
    expect(mc.bestModelPath).toBe('');
    await mc.onTrainEpochEnd(trainer, noModule);
    await mc.flush();
    const name = path.resolve('/root/kindling_logs/version_0/checkpoints/epoch=0-step=10.ckpt');
    expect([...io.files.keys()]).toEqual([name]);
    const saved = io.files.get(name) as { callbacks: Record<string, { bestModelPath: string }> };
    expect(saved.callbacks[mc.stateKey]?.bestModelPath).toBe(name);
  });

  it('saves nothing during the sanity check or outside fit', async () => {
    const trainer = new FakeTrainer(new MemoryIO());
    const mc = new ModelCheckpoint({ everyNTrainSteps: 1, io: new MemoryIO() });
    mc.setup(trainer);
    trainer.globalStep = 1;
    trainer.sanityChecking = true;
    await mc.onTrainBatchEnd(trainer, noModule);
    trainer.sanityChecking = false;
    trainer.state = { fn: 'test', stage: 'test', status: 'running' };
    await mc.onTrainBatchEnd(trainer, noModule);
    expect(trainer.saved).toEqual([]);
    trainer.state = { fn: 'fit', stage: 'train', status: 'running' };
    await mc.onTrainBatchEnd(trainer, noModule);
    expect(trainer.saved).toHaveLength(1);
  });
});

describe('Timer hooks', () => {
  it('counts validation in the sanity check apart from validation, and stops training at the step hook', () => {
    let ms = 0;
    const timer = new Timer({ duration: { seconds: 5 }, now: () => ms, verbose: false });
    const trainer = new FakeTrainer();
    trainer.sanityChecking = true;
    timer.onValidationStart(trainer, noModule);
    ms = 1000;
    timer.onValidationEnd(trainer, noModule);
    trainer.sanityChecking = false;
    timer.onTrainStart(trainer, noModule);
    ms = 6000;
    timer.onTrainEpochEnd(trainer, noModule);
    expect(trainer.shouldStop).toBe(false);
    timer.onTrainBatchEnd(trainer, noModule);
    expect(trainer.shouldStop).toBe(true);
    expect(timer.stateDict().timeElapsed).toEqual({ train: 5, sanityCheck: 1, validate: 0, test: 0, predict: 0 });
  });
});
