/**
 * Older checkpoints and older callback APIs: every checkpoint layout version restores and resumes (fixtures under
 * test/fixtures/layouts), and each back-compatibility path works once with a deprecation warning.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { DynamicLossScaling } from '../../src/components/precision/dynamic-loss-scaling.js';
import { LEGACY_HOOK_RETURN_WARNING } from '../../src/state/shims.js';
import { LAYOUT_MIGRATIONS, LAYOUT_VERSION } from '../../src/trainer/connector/layout.js';
import { LEGACY_KEY_WARNING, LEGACY_PRECISION_WARNING } from '../../src/trainer/connector/restore.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { PatienceCounter } from './support/patience-counter.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/layouts');
const dir = mkdtempSync(join(tmpdir(), 'kindling-compat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const KEY = 'PatienceCounter{"monitor":"val_loss"}';
const data = () => ({ trainDataloaders: loaderOf({ n: 16, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) });

function warningCodes(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.map((c) => (c[1] as { code?: string } | undefined)?.code ?? '');
}

async function resumeFrom(file: string, options: { precision?: DynamicLossScaling } = {}) {
  const counter = new PatienceCounter();
  const module = new TinyRegressor({ withScheduler: true });
  const trainer = new Trainer({ ...QUIET, maxEpochs: 2, numSanityValSteps: 0, callbacks: [counter], ...options });
  let restored: { lr: number; best: number | null; epoch: number; step: number } | undefined;
  module.onFitStart = () => {
    restored = { lr: trainer.optimizers['default']!.paramGroups[0]!.lr, best: counter.best, epoch: trainer.currentEpoch, step: trainer.globalStep };
  };
  await trainer.fit(module, data(), { ckptPath: file });
  return { trainer, restored: restored!, counter };
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('checkpoint layouts', () => {
  it('has a fixture for every layout version and a migration from each older one', () => {
    expect(LAYOUT_MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: LAYOUT_VERSION - 1 }, (_, i) => i + 1));
  });

  it.each(Array.from({ length: LAYOUT_VERSION }, (_, i) => i + 1))('restores and resumes layout %i', async (version) => {
    const file = join(fixtures, `layout-${version}.kcpt`);
    const saved = await loadCheckpoint(file);
    expect(saved['layoutVersion']).toBe(version);
    const { trainer, restored } = await resumeFrom(file);
    // The fixture was saved after one epoch of four batches, with StepLR(gamma 0.5) stepped once.
    expect(restored).toEqual({ lr: 0.05, best: expect.any(Number), epoch: 1, step: 4 });
    expect(trainer.currentEpoch).toBe(2);
    expect(trainer.globalStep).toBe(8);
  });
});

describe('back-compat paths', () => {
  async function savedTree(): Promise<Record<string, unknown>> {
    return { ...(await loadCheckpoint(join(fixtures, `layout-${LAYOUT_VERSION}.kcpt`))) };
  }

  async function write(tree: Record<string, unknown>): Promise<string> {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.kcpt`);
    await saveCheckpoint(file, tree as StateTree);
    return file;
  }

  it('stores what an old-style onSaveCheckpoint returns as the callback state, with a deprecation warning', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    class OldStyle extends PatienceCounter {
      override onSaveCheckpoint(_t: TrainerView, _m: unknown, _c: Record<string, unknown>): { wait: number; best: number } {
        return { wait: 5, best: 0.25 };
      }
    }
    const trainer = new Trainer({ ...QUIET, maxEpochs: 1, numSanityValSteps: 0, callbacks: [new OldStyle()] });
    await trainer.fit(new TinyRegressor(), data());
    const checkpoint = trainer.dumpCheckpoint();
    expect((checkpoint['callbacks'] as Record<string, unknown>)['OldStyle{"monitor":"val_loss"}']).toEqual({ wait: 5, best: 0.25 });
    expect(warningCodes(warn)).toContain(LEGACY_HOOK_RETURN_WARNING);
  });

  it.each(['PatienceCounter', 'patience_counter'])('loads a callback state stored under the old key %s', async (oldKey) => {
    const tree = await savedTree();
    const state = (tree['callbacks'] as Record<string, unknown>)[KEY];
    tree['callbacks'] = { [oldKey]: state };
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const { restored } = await resumeFrom(await write(tree));
    expect(restored.best).toBe((state as { best: number }).best);
    expect(warningCodes(warn)).toContain(LEGACY_KEY_WARNING);
  });

  it('loads a field stored under its old name (legacyNames)', async () => {
    const tree = await savedTree();
    tree['callbacks'] = { [KEY]: { waitCount: 3, best: 0.5 } };
    const counter = new PatienceCounter();
    // No validation batch runs (limitValBatches: 0), so the counter keeps exactly what it loaded.
    const trainer = new Trainer({ ...QUIET, limitValBatches: 0, callbacks: [counter] });
    await trainer.validate(new TinyRegressor(), { dataloaders: loaderOf({ n: 4 }) }, { ckptPath: await write(tree) });
    expect(counter.stateDict()).toEqual({ wait: 3, best: 0.5 });
  });

  it('loads the loss-scaling state from nativeAmpScalingState into DynamicLossScaling', async () => {
    const tree = await savedTree();
    const scaling = new DynamicLossScaling({ initScale: 1024 });
    const { precision: _, ...rest } = tree;
    const old = { ...rest, nativeAmpScalingState: scaling.stateDict() };
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const fresh = new DynamicLossScaling({ initScale: 65536 });
    let scaleAtStart = Number.NaN;
    const counter = new PatienceCounter();
    const module = new TinyRegressor({ withScheduler: true });
    module.onFitStart = () => {
      scaleAtStart = fresh.scale;
    };
    await new Trainer({ ...QUIET, maxEpochs: 2, numSanityValSteps: 0, callbacks: [counter], precision: fresh }).fit(module, data(), { ckptPath: await write(old) });
    expect(scaleAtStart).toBe(1024);
    expect(warningCodes(warn)).toContain(LEGACY_PRECISION_WARNING);
  });
});
