/**
 * Project configuration for the generator: the tsconfig to read and the `"kindling": { "codegen": { "exclude" } }`
 * globs of the project's package.json (paths relative to the project root, i.e. the tsconfig's directory).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globToRegExp, toPosix } from './paths.js';

export class CodegenConfigError extends Error {
  override readonly name = 'CodegenConfigError';
}

export interface ProjectConfig {
  readonly tsconfig: string;
  readonly root: string;
  readonly exclude: readonly string[];
  /** The package at the root is kindling itself. */
  readonly isKindlingItself: boolean;
}

export function loadProjectConfig(tsconfig: string | undefined, cwd: string = process.cwd()): ProjectConfig {
  const file = path.resolve(cwd, tsconfig ?? 'tsconfig.json');
  if (!existsSync(file)) {
    throw new CodegenConfigError(`${file}: tsconfig not found; pass the project's tsconfig with -p/--project <file>`);
  }
  const root = path.dirname(file);
  const pkgFile = path.join(root, 'package.json');
  let exclude: string[] = [];
  let isKindlingItself = false;
  if (existsSync(pkgFile)) {
    let pkg: unknown;
    try {
      pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    } catch (e) {
      throw new CodegenConfigError(`${pkgFile}: not valid JSON (${(e as Error).message})`);
    }
    const p = pkg as { name?: unknown; kindling?: { codegen?: { exclude?: unknown } } };
    isKindlingItself = p.name === 'kindling';
    const raw = p.kindling?.codegen?.exclude;
    if (raw !== undefined) {
      if (!Array.isArray(raw) || !raw.every((g) => typeof g === 'string')) {
        throw new CodegenConfigError(`${pkgFile}: "kindling.codegen.exclude" must be an array of glob strings`);
      }
      exclude = raw;
    }
  }
  return { tsconfig: file, root, exclude, isKindlingItself };
}

/** Whether a file (absolute) is outside every exclude glob. */
export function scopeFilter(config: ProjectConfig): (file: string) => boolean {
  const patterns = config.exclude.map(globToRegExp);
  return (file) => {
    const rel = toPosix(path.relative(config.root, file));
    return !patterns.some((p) => p.test(rel));
  };
}

/** The compiler options kindling's decorators depend on (a subset of TypeScript's `CompilerOptions`). */
export interface DecoratorOptions {
  readonly experimentalDecorators?: boolean;
  readonly emitDecoratorMetadata?: boolean;
  readonly useDefineForClassFields?: boolean;
  /** `ts.ScriptTarget`; from ES2022 (9) on, `useDefineForClassFields` defaults to true. */
  readonly target?: number;
}

const ES2022 = 9;

/**
 * Refuses a tsconfig kindling's decorators do not work under, in one line that says what to set: without
 * `experimentalDecorators` tsc reports every decorator (TS1240…), without `emitDecoratorMetadata` class-transformer
 * and the run-time type check get no `design:type`, and with define semantics field initialisers shadow what
 * `@stateful` installs.
 */
export function checkDecoratorOptions(tsconfig: string, options: DecoratorOptions): void {
  const defineFields = options.useDefineForClassFields ?? (options.target === undefined || options.target >= ES2022);
  const wrong = [
    ...(options.experimentalDecorators === true ? [] : ['"experimentalDecorators": true']),
    ...(options.emitDecoratorMetadata === true ? [] : ['"emitDecoratorMetadata": true']),
    ...(defineFields ? ['"useDefineForClassFields": false'] : []),
  ];
  if (wrong.length === 0) return;
  throw new CodegenConfigError(
    `${tsconfig}: kindling's decorators need ${wrong.join(', ')} in "compilerOptions" ` +
      '(or "extends": "kindling/tsconfig.base.json")',
  );
}
