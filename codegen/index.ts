/**
 * `kindling codegen` as a library: scan (ts-morph) → model → emit (pure) → the caller writes or checks.
 * The CLI command (command.ts) and the golden fixtures use this API.
 */
import path from 'node:path';
import { compareDiagnostics, type Diagnostic } from './diagnostics.js';
import { loadProjectConfig, scopeFilter } from './config.js';
import { emitFile } from './emit/file.js';
import type { ProjectModel } from './model.js';
import { generatedPathFor, toPosix } from './paths.js';
import { refuseFilesOutsideProject, ScanSession } from './scan/project.js';

export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.js';
export { DIAGNOSTIC_CODES } from './diagnostics.js';
export { CodegenConfigError } from './config.js';
export type { ComponentModel, FieldModel, ProjectModel, SourceModel, TypeModel } from './model.js';

export interface CodegenOptions {
  /** tsconfig of the project to scan (default: <cwd>/tsconfig.json). */
  tsconfig?: string;
  /**
   * Only these source files (absolute or relative to cwd); default: every project file except tests, generated
   * files, declaration files, node_modules and excluded globs.
   */
  files?: string[];
  /** Write generated files into this directory (mirroring the source tree under rootDir) instead of beside the sources. */
  outDir?: string;
  /** Root of the mirrored tree when `outDir` is set (default: the project root, the tsconfig's directory). */
  rootDir?: string;
}

export interface GeneratedFile {
  /** Absolute path the file is generated to. */
  path: string;
  /** Absolute path of the source file it is generated from. */
  source: string;
  text: string;
}

export interface GenerateResult {
  files: GeneratedFile[];
  /** Sorted (file, line, column, code). */
  diagnostics: Diagnostic[];
  /**
   * Existing generated files (absolute paths) in scope that nothing generates any more: their source is gone or has
   * no @stateful class left. Only computed for whole-project runs beside the sources (no `files`, no `outDir`).
   */
  orphans: string[];
}

export async function generate(options: CodegenOptions = {}): Promise<GenerateResult> {
  if (options.files !== undefined) refuseFilesOutsideProject(options.files, loadProjectConfig(options.tsconfig).tsconfig);
  return createCodegenSession(options).generate(options);
}

/** A project opened once and scanned many times (golden tests, tools): each call re-reads the files it names. */
export interface CodegenSession {
  generate(options?: Omit<CodegenOptions, 'tsconfig'>): Promise<GenerateResult>;
}

export function createCodegenSession(options: Pick<CodegenOptions, 'tsconfig'> = {}): CodegenSession {
  const config = loadProjectConfig(options.tsconfig);
  const session = new ScanSession({
    tsconfig: config.tsconfig,
    inScope: scopeFilter(config),
    isKindlingItself: config.isKindlingItself,
  });
  return {
    async generate(call = {}) {
      const files = call.files?.map((f) => path.resolve(f));
      return emitProject(session.scan(files), call);
    },
  };
}

/** The emit half of {@link generate}, for a model already scanned. */
export function emitProject(model: ProjectModel, options: Pick<CodegenOptions, 'outDir' | 'rootDir'> = {}): GenerateResult {
  const layout = options.outDir
    ? { outDir: path.resolve(options.outDir), rootDir: path.resolve(options.rootDir ?? model.root) }
    : {};
  const files = model.sources
    .map((s) => emitFile(s, { root: model.root, layout, isKindlingItself: model.isKindlingItself }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const produced = new Set(files.map((f) => f.path));
  const orphans = options.outDir
    ? []
    : model.existingGenerated.filter(
        (g) => !produced.has(g) && !model.failedSources.some((s) => generatedPathFor(s) === g),
      );
  return { files, diagnostics: [...model.diagnostics].sort(compareDiagnostics), orphans };
}

/** `path/to/file.ts:LINE:COL - error KC1001: Class.field: reason` with the path relative to `cwd`. */
export function formatDiagnostic(d: Diagnostic, cwd: string = process.cwd()): string {
  const file = toPosix(path.relative(cwd, d.file)) || d.file;
  return `${file}:${d.line}:${d.column} - ${d.severity} ${d.code}: ${d.message}`;
}

/** Whether any diagnostic is an error (the command then exits 1). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
