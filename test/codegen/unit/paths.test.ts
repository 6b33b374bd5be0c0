import { describe, expect, it } from 'vitest';
import { generatedPathFor, globToRegExp, importSpecifier, sourceBase } from '../../../codegen/paths.js';

describe('paths', () => {
  it('puts the generated file beside its source, or mirrored under outDir', () => {
    expect(generatedPathFor('/p/src/a/early-stopping.ts')).toBe('/p/src/a/early-stopping.state.generated.ts');
    expect(generatedPathFor('/p/cases/x/input/sub/m.ts', { outDir: '/p/cases/x/expected', rootDir: '/p/cases/x/input' })).toBe(
      '/p/cases/x/expected/sub/m.state.generated.ts',
    );
    expect(sourceBase('/p/x.mts')).toBe('x');
  });

  it('writes ESM specifiers with .js extensions', () => {
    expect(importSpecifier('/p/a/x.state.generated.ts', '/p/a/x.ts')).toBe('./x.js');
    expect(importSpecifier('/p/out/x.state.generated.ts', '/p/in/sub/y.ts')).toBe('../in/sub/y.js');
    expect(importSpecifier('/p/a.ts', '/p/b.mts')).toBe('./b.mjs');
  });

  it('matches exclude globs against project-relative paths', () => {
    const test = globToRegExp('test/**');
    expect(test.test('test/a.ts')).toBe(true);
    expect(test.test('test/deep/b.ts')).toBe(true);
    expect(test.test('src/test/a.ts')).toBe(false);
    const any = globToRegExp('**/fixtures/*.ts');
    expect(any.test('fixtures/a.ts')).toBe(true);
    expect(any.test('x/y/fixtures/a.ts')).toBe(true);
    expect(any.test('x/fixtures/sub/a.ts')).toBe(false);
    expect(globToRegExp('scratch').test('scratch/a.ts')).toBe(true);
    expect(globToRegExp('a?.ts').test('ab.ts')).toBe(true);
    expect(globToRegExp('a.ts').test('abts')).toBe(false);
  });
});
