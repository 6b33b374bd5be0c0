/** CSVLogger and JSONLLogger: Lightning's version_N layout, metrics files that readers parse, hparams.json. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSVLogger } from '../../../src/trainer/loggers/csv-logger.js';
import { JSONLLogger } from '../../../src/trainer/loggers/jsonl-logger.js';
import { claimVersionDir } from '../../../src/trainer/loggers/version-dir.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'kindling-loggers-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('version directories', () => {
  it('takes one more than the largest existing version, starting at 0', () => {
    expect(new CSVLogger({ saveDir: root }).logDir).toBe(path.join(root, 'kindling_logs', 'version_0'));
    expect(new CSVLogger({ saveDir: root }).version).toBe(1);
    mkdirSync(path.join(root, 'kindling_logs', 'version_7'));
    mkdirSync(path.join(root, 'kindling_logs', 'version_x'));
    expect(new JSONLLogger({ saveDir: root }).version).toBe(8);
  });

  it('creates nothing until the logger is used, and honours a fixed version or name', () => {
    new CSVLogger({ saveDir: root });
    expect(readdirSync(root)).toEqual([]);
    expect(new CSVLogger({ saveDir: root, name: 'exp', version: 3 }).logDir).toBe(path.join(root, 'exp', 'version_3'));
    expect(new CSVLogger({ saveDir: root, name: 'exp', version: 'baseline' }).logDir).toBe(path.join(root, 'exp', 'baseline'));
  });

  it('never hands one directory to two loggers, even when the next number is taken between listing and creating', () => {
    const first = claimVersionDir(root, 'runs');
    // A directory that appears after listing: simulated by creating version_1 before the next claim lists.
    mkdirSync(path.join(root, 'runs', 'version_1'));
    const second = claimVersionDir(root, 'runs');
    expect([first.version, second.version]).toEqual([0, 2]);
  });
});

describe('CSVLogger', () => {
  it('writes a sorted header with a step column, widening it when a new key appears', () => {
    const logger = new CSVLogger({ saveDir: root, flushEveryNSteps: 1 });
    logger.logMetrics({ train_loss: 0.5 }, 0);
    logger.logMetrics({ train_loss: 0.25, epoch: 0 }, 1);
    logger.logMetrics({ val_loss: Number.NaN, epoch: 0 }, 1);
    logger.finalize('success');
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('epoch,step,train_loss,val_loss\n,0,0.5,\n0,1,0.25,\n0,1,,nan\n');
  });

  it('buffers rows until flushEveryNSteps, save() or finalize', () => {
    const logger = new CSVLogger({ saveDir: root, flushEveryNSteps: 3 });
    logger.logMetrics({ a: 1 }, 0);
    logger.logMetrics({ a: 2 }, 1);
    expect(() => readFileSync(logger.metricsFile, 'utf8')).toThrow(/ENOENT/);
    logger.logMetrics({ a: 3 }, 2);
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('a,step\n1,0\n2,1\n3,2\n');
    logger.logMetrics({ a: 4 }, 3);
    logger.save();
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('a,step\n1,0\n2,1\n3,2\n4,3\n');
  });

  it('widens the header by reading its rows back from the file, quoted keys and non-finite values included, and replaces a file it did not write', () => {
    const logger = new CSVLogger({ saveDir: root, version: 0, flushEveryNSteps: 2 });
    // A metrics file left in a fixed version directory by another run is replaced, not merged.
    mkdirSync(logger.logDir, { recursive: true });
    writeFileSync(logger.metricsFile, 'old,step\n9,9\n');
    logger.logMetrics({ b: 1e-7 }, 0);
    logger.logMetrics({ b: Number.POSITIVE_INFINITY }, 1);
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('b,step\n1e-7,0\ninf,1\n');
    logger.logMetrics({ 'a,"x"': 2 }, 2);
    logger.logMetrics({ c: -0.5, b: 3 }, 3);
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('"a,""x""",b,c,step\n,1e-7,,0\n,inf,,1\n2,,,2\n,3,-0.5,3\n');
    logger.logMetrics({ b: 4 }, 4);
    logger.logMetrics({ d: Number.NaN }, 5);
    logger.finalize('success');
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('"a,""x""",b,c,d,step\n,1e-7,,,0\n,inf,,,1\n2,,,,2\n,3,-0.5,,3\n,4,,,4\n,,,nan,5\n');
  });

  it('quotes keys that contain commas or quotes', () => {
    const logger = new CSVLogger({ saveDir: root, flushEveryNSteps: 1 });
    logger.logMetrics({ 'acc,top"5"': 0.9 }, 4);
    expect(readFileSync(logger.metricsFile, 'utf8')).toBe('"acc,top""5""",step\n0.9,4\n');
  });

  it('merges hyperparameters into hparams.json', () => {
    const logger = new CSVLogger({ saveDir: root });
    logger.logHyperparams({ lr: 0.1, layers: [64, 32] });
    logger.logHyperparams({ lr: 0.01, name: 'mlp' });
    expect(JSON.parse(readFileSync(path.join(logger.logDir, 'hparams.json'), 'utf8'))).toEqual({ lr: 0.01, layers: [64, 32], name: 'mlp' });
  });
});

describe('JSONLLogger', () => {
  it('appends one object per step, with non-finite values as strings', () => {
    const logger = new JSONLLogger({ saveDir: root });
    logger.logMetrics({ train_loss: 0.5, step: 99 }, 0);
    logger.logMetrics({ val_loss: Infinity }, 10);
    const lines = readFileSync(logger.metricsFile, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual([{ step: 0, train_loss: 0.5 }, { step: 10, val_loss: 'Infinity' }]);
  });
});
