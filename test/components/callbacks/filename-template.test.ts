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

  // Integers take a shorter path to their digits (String instead of toExponential(99)): recorded from Python,
  // format(float(value), spec) for each spec in INTEGER_SPECS.
  const INTEGER_SPECS = ['.3g', 'g', '.2g', '.4g', '.2e', '.3f', '.0f', '.1%'];
  const integers: Record<string, readonly string[]> = {
    '1': ['1', '1', '1', '1', '1.00e+00', '1.000', '1', '100.0%'],
    '5': ['5', '5', '5', '5', '5.00e+00', '5.000', '5', '500.0%'],
    '10': ['10', '10', '10', '10', '1.00e+01', '10.000', '10', '1000.0%'],
    '99': ['99', '99', '99', '99', '9.90e+01', '99.000', '99', '9900.0%'],
    '100': ['100', '100', '1e+02', '100', '1.00e+02', '100.000', '100', '10000.0%'],
    '125': ['125', '125', '1.2e+02', '125', '1.25e+02', '125.000', '125', '12500.0%'],
    '260': ['260', '260', '2.6e+02', '260', '2.60e+02', '260.000', '260', '26000.0%'],
    '999': ['999', '999', '1e+03', '999', '9.99e+02', '999.000', '999', '99900.0%'],
    '1000': ['1e+03', '1000', '1e+03', '1000', '1.00e+03', '1000.000', '1000', '100000.0%'],
    '1005': ['1e+03', '1005', '1e+03', '1005', '1.00e+03', '1005.000', '1005', '100500.0%'],
    '12345': ['1.23e+04', '12345', '1.2e+04', '1.234e+04', '1.23e+04', '12345.000', '12345', '1234500.0%'],
    '-7': ['-7', '-7', '-7', '-7', '-7.00e+00', '-7.000', '-7', '-700.0%'],
    '-1000': ['-1e+03', '-1000', '-1e+03', '-1000', '-1.00e+03', '-1000.000', '-1000', '-100000.0%'],
    '9007199254740991': ['9.01e+15', '9.0072e+15', '9e+15', '9.007e+15', '9.01e+15', '9007199254740991.000', '9007199254740991', '900719925474099072.0%'],
    '1000000000000000': ['1e+15', '1e+15', '1e+15', '1e+15', '1.00e+15', '1000000000000000.000', '1000000000000000', '100000000000000000.0%'],
    '123456789012': ['1.23e+11', '1.23457e+11', '1.2e+11', '1.235e+11', '1.23e+11', '123456789012.000', '123456789012', '12345678901200.0%'],
  };
  it.each(Object.entries(integers))('formats the integer %s as Python does in every spec', (value, formatted) => {
    expect(INTEGER_SPECS.map((spec) => formatNumber(Number(value), spec))).toEqual(formatted);
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
