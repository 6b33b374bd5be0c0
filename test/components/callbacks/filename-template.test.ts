/** ModelCheckpoint file names: Python's number formatting (recorded from Python), Lightning's template rules, containment. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallbackConfigError } from '../../../src/components/callbacks/errors.js';
import { formatName, isInside, parseTemplate, resolveInside } from '../../../src/components/callbacks/model-checkpoint/filename-template.js';
import { formatNumber } from '../../../src/components/callbacks/model-checkpoint/python-format.js';

interface Row {
  readonly value: number | 'nan' | 'inf' | '-inf';
  readonly spec: string;
  readonly formatted: string;
}
const rows = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/python-format.json'), 'utf8')) as Row[];
const decode = (v: Row['value']): number => (v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

describe('formatNumber', () => {
  it.each(rows.map((r) => [r.value, r.spec, r.formatted] as const))('format(%s, %j) is %j, as in Python', (value, spec, formatted) => {
    expect(formatNumber(decode(value), spec)).toBe(formatted);
  });

  it('refuses specs it does not implement', () => {
    expect(() => formatNumber(1, '>10s')).toThrow(/not supported/);
  });
});

describe('parseTemplate / formatName', () => {
  it("inserts metric names as Lightning does, with the default '{epoch}-{step}'", () => {
    expect(formatName(parseTemplate(undefined), { epoch: 3, step: 120 })).toBe('epoch=3-step=120');
    expect(formatName(parseTemplate('{epoch}-{step}-{val_loss:.3f}'), { epoch: 3, step: 120, val_loss: 0.41234 })).toBe('epoch=3-step=120-val_loss=0.412');
    expect(formatName(parseTemplate('model-{epoch:02d}', false), { epoch: 7 })).toBe('model-07');
  });

  it('formats a metric that is not logged as 0, and adds prefix and version', () => {
    expect(formatName(parseTemplate('{epoch}-{val_acc:.2f}'), { epoch: 1 }, { prefix: 'run', version: 2 })).toBe('run-epoch=1-val_acc=0.00-v2');
  });

  it('keeps directories of the template but flattens separators in metric names and values', () => {
    expect(formatName(parseTemplate('{epoch}/model-{val/loss:.1f}'), { epoch: 1, 'val/loss': 0.25 })).toBe('epoch=1/model-val_loss=0.2');
    expect(formatName(parseTemplate('{../../etc}', false), { '../../etc': 1 })).toBe('1');
    expect(formatName(parseTemplate('x-{a}'), {}, { prefix: '../up' })).toBe('.._up-x-a=0');
  });

  it('refuses templates that would leave dirpath or cannot be parsed', () => {
    for (const bad of ['/etc/passwd', '../{epoch}', 'a/../../b', './x', 'C:\\x', 'a//b', '{epoch', 'x}', '{}', '{val_loss:>8s}', '']) {
      expect(() => parseTemplate(bad), bad).toThrow(CallbackConfigError);
    }
  });
});

describe('resolveInside', () => {
  it('resolves names below dirpath and refuses anything else', () => {
    const dir = path.resolve('/tmp/ckpts');
    expect(resolveInside(dir, 'epoch=1-step=2')).toBe(path.join(dir, 'epoch=1-step=2.ckpt'));
    expect(resolveInside(dir, 'sub/last')).toBe(path.join(dir, 'sub/last.ckpt'));
    expect(() => resolveInside(dir, '../outside')).toThrow(/outside dirpath/);
    expect(isInside(dir, path.join(dir, 'a.ckpt'))).toBe(true);
    expect(isInside(dir, dir)).toBe(false);
    expect(isInside(dir, '/tmp/ckpts-other/a.ckpt')).toBe(false);
  });
});
