/**
 * The checkpoint connector: what a dump holds and in which order it is built, the two-phase restore order, a
 * transactional restore (a bad section changes nothing and every problem is listed), strictness, skipping sections,
 * and the weights-only resume error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { Precision } from '../../src/components/precision/precision.js';
import { StateError } from '../../src/state/errors.js';
import { TrainerCheckpointError } from '../../src/trainer/errors.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { PatienceCounter } from './support/patience-counter.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-connector-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const KEY = 'PatienceCounter{"monitor":"val_loss"}';
const options = { maxEpochs: 2, numSanityValSteps: 0 } as const;
const data = () => ({ trainDataloaders: loaderOf({ n: 16, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) });

class RecordingPrecision extends Precision {
  constructor(readonly calls: string[]) {
    super();
  }
  override onSaveCheckpoint(checkpoint: Record<string, unknown>): void {
    this.calls.push(`precision.onSaveCheckpoint sees ${Object.keys(checkpoint).join(',')}`);
  }
  override onLoadCheckpoint(): void {
    this.calls.push('precision.onLoadCheckpoint');
  }
}

class RecordingCounter extends PatienceCounter {
  calls: string[] = [];
  override onSaveCheckpoint(_t: TrainerView, _m: unknown, checkpoint: Record<string, unknown>): void {
    this.calls.push(`callback.onSaveCheckpoint sees ${Object.keys(checkpoint).join(',')}`);
    checkpoint['addedByCallback'] = 1;
  }
  override onLoadCheckpoint(): void {
    this.calls.push(`callback.onLoadCheckpoint (wait ${this.wait})`);
  }
  override setup(): void {
    this.calls.push('callback.setup');
  }
  override onFitStart(): void {
    this.calls.push('callback.onFitStart');
  }
}

class RecordingModule extends TinyRegressor {
  calls: string[] = [];
  override onSaveCheckpoint(checkpoint: Record<string, unknown>): void {
    this.calls.push(`module.onSaveCheckpoint sees addedByCallback=${String(checkpoint['addedByCallback'])}`);
  }
  override onLoadCheckpoint(): void {
    this.calls.push('module.onLoadCheckpoint');
  }
  override loadStateDict(state: never) {
    this.calls.push('module weights');
    return super.loadStateDict(state);
  }
  override configureOptimizers() {
    this.calls.push('module.configureOptimizers');
    return super.configureOptimizers();
  }
}

async function trained(): Promise<{ trainer: Trainer; module: TinyRegressor; counter: PatienceCounter; file: string }> {
  const counter = new PatienceCounter();
  const module = new TinyRegressor({ withScheduler: true });
  const trainer = new Trainer({ ...QUIET, ...options, callbacks: [counter] });
  await trainer.fit(module, data());
  const file = join(dir, `trained-${Math.random().toString(36).slice(2)}.kcpt`);
  await trainer.saveCheckpoint(file);
  return { trainer, module, counter, file };
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('dump', () => {
  it('builds the sections in order, then runs the precision, callback and module save hooks', async () => {
    const calls: string[] = [];
    const counter = new RecordingCounter();
    counter.calls = calls;
    const module = new RecordingModule({ withScheduler: true });
    module.calls = calls;
    const trainer = new Trainer({ ...QUIET, ...options, callbacks: [counter], precision: new RecordingPrecision(calls) });
    await trainer.fit(module, data());
    calls.length = 0;
    const checkpoint = trainer.dumpCheckpoint();
    const sections = 'layoutVersion,kindlingVersion,epoch,globalStep,module,loops,callbacks,optimizers,lrSchedulers,precision,gradientAccumulator,dataloaders,rng';
    expect(Object.keys(checkpoint).join(',')).toBe(`${sections},addedByCallback`);
    expect(calls).toEqual([
      `precision.onSaveCheckpoint sees ${sections}`,
      `callback.onSaveCheckpoint sees ${sections}`,
      'module.onSaveCheckpoint sees addedByCallback=1',
    ]);
    expect(checkpoint['epoch']).toBe(2);
    expect(checkpoint['globalStep']).toBe(8);
    expect(Object.keys(checkpoint['callbacks'] as object)).toEqual(['RecordingCounter{"monitor":"val_loss"}']);
    expect(Object.keys(checkpoint['optimizers'] as object)).toEqual(['default']);
    expect(Object.keys(checkpoint['lrSchedulers'] as object)).toEqual(['default']);
    expect(Object.keys(checkpoint['dataloaders'] as object)).toEqual(['train', 'val']);
  });

  it('with weightsOnly leaves out callbacks, optimizers, schedulers, precision and the gradient accumulator, and their save hooks', async () => {
    const calls: string[] = [];
    const counter = new RecordingCounter();
    counter.calls = calls;
    const module = new RecordingModule();
    module.calls = calls;
    const trainer = new Trainer({ ...QUIET, ...options, callbacks: [counter], precision: new RecordingPrecision(calls) });
    await trainer.fit(module, data());
    calls.length = 0;
    const checkpoint = trainer.dumpCheckpoint({ weightsOnly: true });
    expect(Object.keys(checkpoint)).toEqual(['layoutVersion', 'kindlingVersion', 'epoch', 'globalStep', 'module', 'loops', 'dataloaders', 'rng']);
    expect(calls).toEqual(['module.onSaveCheckpoint sees addedByCallback=undefined']);
  });
});

describe('restore', () => {
  it('runs in two phases: module hook, weights, callback hook, then precision, after setup and configureOptimizers', async () => {
    const { file } = await trained();
    const calls: string[] = [];
    const counter = new RecordingCounter();
    counter.calls = calls;
    const module = new RecordingModule({ withScheduler: true });
    module.calls = calls;
    const trainer = new Trainer({ ...QUIET, ...options, maxEpochs: 3, callbacks: [counter], precision: new RecordingPrecision(calls) });
    await trainer.fit(module, data(), { ckptPath: file });
    expect(calls.slice(0, 7)).toEqual([
      'callback.setup',
      'module.configureOptimizers',
      'module.onLoadCheckpoint',
      'module weights',
      'callback.onLoadCheckpoint (wait 0)',
      'precision.onLoadCheckpoint',
      'callback.onFitStart',
    ]);
  });

  it('is transactional: a bad section changes nothing, and every problem is listed with its path', async () => {
    const { file } = await trained();
    const saved = await loadCheckpoint(file);
    const bad: StateTree = {
      ...saved,
      callbacks: { [KEY]: { wait: 'three', best: 1 } },
      loops: { ...(saved['loops'] as object), fitLoop: { ...((saved['loops'] as Record<string, object>)['fitLoop']), epochLoop: 5 } },
    };
    const badFile = join(dir, 'bad.kcpt');
    await saveCheckpoint(badFile, bad);

    const counter = new PatienceCounter();
    counter.wait = 7;
    const module = new TinyRegressor({ withScheduler: true, seedWeight: 0.9 });
    const loaders = data();
    const trainer = new Trainer({ ...QUIET, ...options, maxEpochs: 3, callbacks: [counter] });
    const before = { weights: module.stateDict().weight.data.slice(), loops: trainer.loops.stateDict(), train: loaders.trainDataloaders.stateDict(), counter: counter.stateDict() };
    const error = await trainer.fit(module, loaders, { ckptPath: badFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).message).toContain(`callbacks.${KEY}.wait: expected number, got string`);
    expect((error as StateError).issues.map((i) => i.path)).toEqual(expect.arrayContaining([`callbacks.${KEY}.wait`, 'loops.fitLoop.epochLoop']));
    expect(module.stateDict().weight.data).toEqual(before.weights);
    expect(trainer.loops.stateDict()).toEqual(before.loops);
    expect(loaders.trainDataloaders.stateDict()).toEqual(before.train);
    expect(counter.stateDict()).toEqual(before.counter);
  });

  it('warns about a state no component takes, and fails with strict: true', async () => {
    const { file } = await trained();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    // No PatienceCounter on the new trainer: its state is unmatched.
    await new Trainer({ ...QUIET, ...options, maxEpochs: 3 }).fit(new TinyRegressor({ withScheduler: true }), data(), { ckptPath: file });
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining(`callbacks.${KEY}: no component of this trainer takes this state`));
    const strict = new Trainer({ ...QUIET, ...options, maxEpochs: 3, strict: true });
    await expect(strict.fit(new TinyRegressor({ withScheduler: true }), data(), { ckptPath: file })).rejects.toThrow(`callbacks.${KEY}`);
  });

  it('keeps a component whose state is missing, with a warning', async () => {
    const { file } = await trained();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const other = new PatienceCounter('val_acc');
    other.wait = 2;
    const trainer = new Trainer({ ...QUIET, ...options, maxEpochs: 2, callbacks: [other, new PatienceCounter()] });
    await trainer.validate(new TinyRegressor(), { dataloaders: loaderOf({ n: 8 }) }, { ckptPath: file });
    expect(other.wait).toBe(2);
    expect(warn.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringContaining('callbacks.PatienceCounter{"monitor":"val_acc"}: '));
  });

  it('skips the sections given in restore', async () => {
    const { file, trainer: saved } = await trained();
    const savedLr = saved.optimizers['default']!.paramGroups[0]!.lr;
    const module = new TinyRegressor({ withScheduler: true, lr: 0.3 });
    const trainer = new Trainer({ ...QUIET, ...options, maxEpochs: 3 });
    let lrAtStart = Number.NaN;
    module.onFitStart = () => {
      lrAtStart = trainer.optimizers['default']!.paramGroups[0]!.lr;
    };
    await trainer.fit(module, data(), { ckptPath: file, restore: { optimizers: false, lrSchedulers: false } });
    expect(savedLr).not.toBe(0.3);
    expect(lrAtStart).toBe(0.3);
    expect(trainer.currentEpoch).toBe(3);
    expect(trainer.globalStep).toBe(12);
  });

  it('refuses to resume fit from a weights-only checkpoint, and says how to', async () => {
    const { trainer, module } = await trained();
    const file = join(dir, 'weights.kcpt');
    await trainer.saveCheckpoint(file, { weightsOnly: true });
    const error = await new Trainer({ ...QUIET, ...options, maxEpochs: 3 }).fit(new TinyRegressor(), data(), { ckptPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect((error as Error).message).toMatch(/weightsOnly.*restore: \{ optimizers: false.*module\.loadWeights/s);
    const resumed = new Trainer({ ...QUIET, ...options, maxEpochs: 3 });
    await resumed.fit(new TinyRegressor(), data(), { ckptPath: file, restore: { optimizers: false, lrSchedulers: false, callbacks: false, precision: false } });
    expect(resumed.currentEpoch).toBe(3);
    // The message's other way: the file's weights load into a fresh module, for a new fit.
    const fresh = new TinyRegressor();
    expect(await fresh.loadWeights(file)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(fresh.parameters().map((p) => Array.from(p.variable.dataSync()))).toEqual(module.parameters().map((p) => Array.from(p.variable.dataSync())));
  });
});
