import { describe, expect, it } from 'vitest';
import { sectionOfTensorName } from '../../src/cli/commands/inspect.js';
import { formatBytes, formatCount, formatTable, plural } from '../../src/cli/format.js';

describe('CLI formatting', () => {
  it('formats byte counts in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(1071624192)).toBe('1021.98 MiB');
    expect(formatBytes(3 * 1024 ** 4)).toBe('3.00 TiB');
  });

  it('groups thousands and pluralizes', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(plural(1, 'tensor')).toBe('1 tensor');
    expect(plural(1000, 'tensor')).toBe('1,000 tensors');
  });

  it('aligns table columns, right-aligning where asked, without trailing spaces', () => {
    expect(formatTable([['name', 'n'], ['a', '10'], ['longer', '2']], ['left', 'right'])).toEqual([
      'name     n',
      'a       10',
      'longer   2',
    ]);
    expect(formatTable([['x', ''], ['yy', '']])).toEqual(['x', 'yy']);
  });

  it('lets a cell longer than its column\'s cap overflow instead of widening the column for every row', () => {
    expect(formatTable([['a', '1'], ['bb', '2'], ['a-very-long-key', '3']], [], [4])).toEqual(['a   1', 'bb  2', 'a-very-long-key  3']);
  });
});

describe('sectionOfTensorName', () => {
  it('reads the first segment of an escaped tensor name', () => {
    expect(sectionOfTensorName('model.layers.0.weight')).toBe('model');
    expect(sectionOfTensorName('a\\.b.w')).toBe('a.b');
    expect(sectionOfTensorName('c\\\\.w')).toBe('c\\');
    expect(sectionOfTensorName('step')).toBe('step');
    expect(sectionOfTensorName('\\__metadata__')).toBe('__metadata__');
  });
});
