/** stateOf finds a component's state in a dumped or read checkpoint; readTrainerCheckpoint validates before returning. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import { initEngine } from '../../src/components/engine/index.js';
import { Parameter } from '../../src/components/nn/parameter.js';
import { StateError } from '../../src/state/errors.js';
import { readTrainerCheckpoint, stateOf } from '../../src/trainer/connector/checkpoint.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { PatienceCounter } from './support/patience-counter.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('typed checkpoints', () => {
  let trainer: Trainer;
  let counter: PatienceCounter;
  let module: TinyRegressor;
  let file: string;

  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
    counter = new PatienceCounter();
    module = new TinyRegressor({ withScheduler: true });
    trainer = new Trainer({ ...QUIET, maxEpochs: 2, numSanityValSteps: 0, callbacks: [counter] });
    await trainer.fit(module, { trainDataloaders: loaderOf({ n: 8 }), valDataloaders: loaderOf({ n: 4 }) });
    file = join(dir, 'run.kcpt');
    await trainer.saveCheckpoint(file);
  });

  it('stateOf gives each component the state it saved', () => {
    const checkpoint = trainer.dumpCheckpoint();
    expect(stateOf(checkpoint, counter)).toEqual(counter.stateDict());
    expect(stateOf(checkpoint, trainer.loops)).toEqual(trainer.loops.stateDict());
    const optimizer = trainer.optimizers['default']!;
    expect(stateOf(checkpoint, optimizer as never)).toEqual((optimizer as unknown as { stateDict(): object }).stateDict());
    expect(() => stateOf(checkpoint, new PatienceCounter('val_acc'))).toThrow(/not a component of this checkpoint/);
  });

  it('readTrainerCheckpoint validates every given component before returning the checkpoint', async () => {
    const read = await readTrainerCheckpoint(file, { module, callbacks: [counter] });
    expect(stateOf(read, counter)).toEqual(counter.stateDict());
    expect(read.loops.fitLoop.epochProgress.current.completed).toBe(2);

    const tree = { ...(await loadCheckpoint(file)) } as Record<string, unknown>;
    tree['callbacks'] = { 'PatienceCounter{"monitor":"val_loss"}': { wait: -0.5, best: 'low' } };
    const bad = join(dir, 'bad.kcpt');
    await saveCheckpoint(bad, tree as StateTree);
    const error = await readTrainerCheckpoint(bad, { module, callbacks: [counter] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).issues.map((i) => i.path)).toEqual(['callbacks.PatienceCounter{"monitor":"val_loss"}.best']);
    expect((error as Error).message).not.toContain('other shapes');
  });

  it('readTrainerCheckpoint into a module of other shapes names both hparams, to say how to build it', async () => {
    const tree = { ...(await loadCheckpoint(file)), hparams: { width: 1 } };
    const saved = join(dir, 'with-hparams.kcpt');
    await saveCheckpoint(saved, tree);
    const wide = new TinyRegressor();
    wide.weight = new Parameter(tf.zeros([3, 1]), { nameHint: 'wide.weight' });
    wide.hparams = { width: 3 };
    const error = await readTrainerCheckpoint(saved, { module: wide }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toContain('module.weight: expected float32[3,1], got float32[2,1]');
    expect((error as Error).message).toContain('it was saved with hparams {"width":1}, and this TinyRegressor has {"width":3}. Build the TinyRegressor with the saved hparams.');
  });
});
