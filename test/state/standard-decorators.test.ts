/**
 * A file compiled with standard (TC39) decorators calls kindling's legacy decorators with a context object. esbuild
 * (which tsx and vitest use) compiles a file that way when its tsconfig lacks experimentalDecorators; here the compiled
 * code is run against the real decorators.
 */
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { persist, stateful } from '../../src/state/decorators.js';
import { StateDeclarationError } from '../../src/state/errors.js';

function compileStandard(source: string): string {
  return transformSync(source, { loader: 'ts', format: 'cjs', target: 'es2022', tsconfigRaw: { compilerOptions: { experimentalDecorators: false } } }).code;
}

function run(source: string): unknown {
  const module = { exports: {} as Record<string, unknown> };
  new Function('module', 'exports', 'persist', 'stateful', compileStandard(source))(module, module.exports, persist, stateful);
  return module.exports;
}

describe('decorators compiled as standard decorators', () => {
  it('@persist says which tsconfig settings to set instead of failing on an undefined prototype', () => {
    const source = 'class Counter { @persist() count = 0; }\nmodule.exports = Counter;';
    expect(compileStandard(source)).toContain('__decorateElement');
    expect(() => run(source)).toThrow(StateDeclarationError);
    expect(() => run(source)).toThrow(/field count: this file was compiled with standard \(TC39\) decorators.*"experimentalDecorators": true.*"include"/);
  });

  it('@stateful on a class without fields says it too', () => {
    expect(() => run('@stateful() class Empty {}\nmodule.exports = Empty;')).toThrow(/Empty: this file was compiled with standard/);
  });
});
