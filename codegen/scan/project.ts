/**
 * The scan stage's entry: opens the project once (ts-morph, read-only), picks the files to generate for, and returns
 * the plain {@link ProjectModel}. The only module (with its siblings) that touches ts-morph.
 */
import path from 'node:path';
import { Project, type SourceFile, ts } from 'ts-morph';
import { checkDecoratorOptions, CodegenConfigError } from '../config.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ProjectModel, SourceModel } from '../model.js';
import { isGeneratedFile } from '../paths.js';
import { ComponentScanner } from './components.js';
import { isProbe, kindlingSymbols } from './kindling-symbols.js';
import { StatefulClasses } from './stateful-classes.js';

export interface ScanRequest {
  readonly tsconfig: string;
  /** Files to scan; all project files when undefined. Absolute paths. */
  readonly files?: readonly string[];
  /** Whether a project file (absolute path) is in scope: built-in and configured exclusions applied by the caller. */
  readonly inScope: (file: string) => boolean;
  readonly isKindlingItself: boolean;
}

/** A built-in exclusion: tests, declaration files, generated files and dependencies are never scanned. */
export function isBuiltInExcluded(file: string): boolean {
  return (
    file.endsWith('.d.ts') ||
    /\.(test|spec|test-d)\.(m|c)?tsx?$/.test(file) ||
    isGeneratedFile(file) ||
    file.split(/[\\/]/).includes('node_modules')
  );
}

export function scanProject(request: ScanRequest, project = openProject(request.tsconfig)): ProjectModel {
  const root = path.dirname(path.resolve(request.tsconfig));
  const scanner = new ComponentScanner(new StatefulClasses(kindlingSymbols(project, root)));
  const sources: SourceModel[] = [];
  const failedSources: string[] = [];
  for (const sf of filesToScan(request, project, root)) {
    const file = sf.getFilePath();
    const { components, failed } = scanner.scanFile(sf);
    if (failed) failedSources.push(file);
    else if (components.length > 0) sources.push({ file, components });
  }
  return {
    root,
    sources,
    diagnostics: dedupe(scanner.diagnostics),
    existingGenerated: request.files ? [] : existingGeneratedOf(request, root),
    failedSources,
    isKindlingItself: request.isKindlingItself,
  };
}

/** What scanning one file found, on its own (see {@link ScanSession.scanEach}). */
export interface FileScan {
  readonly source: SourceModel | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly failed: boolean;
}

/** The project's generated files in scope, for orphan detection. */
function existingGeneratedOf(request: ScanRequest, root: string): string[] {
  return projectFiles(request.tsconfig)
    .filter((file) => isGeneratedFile(file) && isUnder(root, file) && request.inScope(file))
    .sort();
}

/**
 * The project's files to scan: `request.files` when given, else every project file in scope. Files without a
 * `@stateful` class or `@persist` field are skipped by a cheap text test (most files have none and need no AST walk).
 */
function filesToScan(request: ScanRequest, project: Project, root: string): SourceFile[] {
  const wanted = request.files ? new Set(request.files.map((f) => path.resolve(f))) : undefined;
  return project.getSourceFiles().filter((sf) => {
    const file = sf.getFilePath();
    if (isGeneratedFile(file) || isProbe(file)) return false;
    if (wanted ? !wanted.has(path.normalize(file)) : !isUnder(root, file) || isBuiltInExcluded(file) || !request.inScope(file)) return false;
    const text = sf.getFullText();
    return text.includes('@stateful') || text.includes('@persist');
  });
}

/**
 * A file named on the command line that the tsconfig does not compile would be skipped without a word ("0 written"),
 * and then fail at run time, compiled by a runner's defaults rather than with the project's decorator settings.
 */
export function refuseFilesOutsideProject(files: readonly string[], tsconfig: string): void {
  const compiled = new Set(projectFiles(tsconfig).map((f) => path.normalize(f)));
  const missing = files.map((f) => path.resolve(f)).filter((f) => !compiled.has(path.normalize(f)));
  if (missing.length === 0) return;
  const names = missing.map((f) => path.relative(process.cwd(), f) || f).join(', ');
  throw new CodegenConfigError(
    `${names}: not compiled by ${path.relative(process.cwd(), tsconfig) || tsconfig} (the file does not exist, or its "include"/"files" ` +
      'leave it out); move the file under an included folder (e.g. src/) or add it to "include", then run codegen again',
  );
}

/**
 * Files outside the project root are in the program only as dependencies (e.g. a library mapped through `paths`):
 * their generated files are not this project's to write.
 */
function isUnder(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Opens the project without its generated files: the scan never needs their contents (field types do not depend on
 * them, the `@stateful(XState)` argument is read as text), and parsing and binding them would double the work once
 * every component has one. Imports of generated modules are left unresolved for the same reason, except from
 * declaration files: a library's generated declarations are how its `@stateful` classes are recognised.
 */
export function openProject(tsconfig: string): Project {
  // Parsed first: a broken tsconfig is the user's input and gets a configuration error, not a stack trace.
  const files = projectFiles(tsconfig);
  const project = new Project({
    tsConfigFilePath: path.resolve(tsconfig),
    skipAddingFilesFromTsConfig: true,
    resolutionHost: (host, getCompilerOptions) => ({
      resolveModuleNames: (names, containingFile) =>
        names.map((name) =>
          GENERATED_IMPORT.test(name) && !DECLARATION_FILE.test(containingFile)
            ? undefined
            : ts.resolveModuleName(name, containingFile, getCompilerOptions(), host).resolvedModule,
        ),
    }),
  });
  if (files.length === 0) {
    throw new CodegenConfigError(
      `${path.resolve(tsconfig)} includes no files (a solution-style tsconfig with only "references"?); ` +
        'pass the tsconfig of the project that holds the components with -p/--project',
    );
  }
  checkDecoratorOptions(path.resolve(tsconfig), project.getCompilerOptions());
  for (const file of files) if (!isGeneratedFile(file)) project.addSourceFileAtPath(file);
  return project;
}

const GENERATED_IMPORT = /\.state\.generated(\.js)?$/;
const DECLARATION_FILE = /\.d\.(m|c)?ts$/;

/** The files a tsconfig includes (its `files`/`include`/`exclude`), absolute. */
export function projectFiles(tsconfig: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.resolve(tsconfig), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new CodegenConfigError(`${tsconfig}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  });
  const errors = (parsed?.errors ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && !NO_INPUTS.includes(d.code));
  if (errors.length > 0) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ');
    throw new CodegenConfigError(`${path.resolve(tsconfig)}: ${text}`);
  }
  return (parsed?.fileNames ?? []).map((f) => path.resolve(f));
}

/** TS18002 "The 'files' list in config file is empty", TS18003 "No inputs were found": reported as "includes no files". */
const NO_INPUTS = [18002, 18003];

export function dedupe<T extends { file: string; line: number; column: number; code: string; message: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A scan that can be repeated after files change (watch mode): the project is opened once and only changed files are
 * re-read, so each round costs the analysis, not the program load.
 */
export class ScanSession {
  private project: Project;

  constructor(private readonly request: ScanRequest) {
    this.project = openProject(request.tsconfig);
  }

  /**
   * Scans the project, or only `files` (absolute paths): those are (re-)read from disk first, and added to the
   * project when its tsconfig does not include them.
   */
  scan(files?: readonly string[]): ProjectModel {
    if (files === undefined) return scanProject(this.request, this.project);
    for (const file of files) {
      const sf = this.project.getSourceFile(file);
      if (sf) sf.refreshFromFileSystemSync();
      else this.project.addSourceFileAtPath(file);
    }
    return scanProject({ ...this.request, files }, this.project);
  }

  /**
   * Scans each of `files` (absolute paths, default: every project file in scope) on its own, with a fresh scanner, so
   * that a file's result (its components, its diagnostics, whether it failed) depends on that file and what it
   * imports, and can replace the file's earlier result in an incremental scan (watch mode). A file that holds no
   * component any more gets an empty result. The union of all files' results equals {@link scan}'s, diagnostics
   * deduplicated (a base class's are reported by each file that scans it).
   */
  scanEach(files?: readonly string[]): Map<string, FileScan> {
    const root = path.dirname(path.resolve(this.request.tsconfig));
    const classes = new StatefulClasses(kindlingSymbols(this.project, root));
    const request = files === undefined ? this.request : { ...this.request, files };
    const results = new Map<string, FileScan>();
    for (const file of files ?? []) results.set(path.resolve(file), { source: undefined, diagnostics: [], failed: false });
    for (const sf of filesToScan(request, this.project, root)) {
      const scanner = new ComponentScanner(classes);
      const file = sf.getFilePath();
      const { components, failed } = scanner.scanFile(sf);
      results.set(path.resolve(file), {
        source: !failed && components.length > 0 ? { file, components } : undefined,
        diagnostics: dedupe(scanner.diagnostics),
        failed,
      });
    }
    return results;
  }

  /** Resolves every file's references now (see {@link dependentsOf}), for watch mode's first round. */
  watchDependents(): void {
    this.project.getSourceFiles()[0]?.getReferencingSourceFiles();
  }

  /** The generated files in scope (absolute, sorted). */
  existingGenerated(): string[] {
    return existingGeneratedOf(this.request, path.dirname(path.resolve(this.request.tsconfig)));
  }

  /**
   * `files` and every project file that imports one of them, directly or through others: what a change to `files`
   * can change the generated code or diagnostics of.
   */
  dependentsOf(files: readonly string[]): string[] {
    // The first call makes ts-morph resolve every file's references (about a second for 500 files); ScanSession
    // does it when the project opens, in watchDependents(), so that the first edit does not pay for it.
    const seen = new Set<string>();
    const pending = files.map((f) => path.resolve(f));
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      for (const referencing of this.project.getSourceFile(file)?.getReferencingSourceFiles() ?? []) {
        pending.push(path.resolve(referencing.getFilePath()));
      }
    }
    return [...seen].sort();
  }

  /** Re-reads changed or added files and forgets removed ones; a changed tsconfig reopens the project. */
  update(changed: readonly string[], removed: readonly string[]): void {
    if ([...changed, ...removed].some((f) => path.resolve(f) === path.resolve(this.request.tsconfig))) {
      this.project = openProject(this.request.tsconfig);
      return;
    }
    for (const file of removed) {
      const sf = this.project.getSourceFile(file);
      if (sf) this.project.removeSourceFile(sf);
    }
    let included: Set<string> | undefined;
    for (const file of changed) {
      const sf = this.project.getSourceFile(file);
      if (sf) {
        sf.refreshFromFileSystemSync();
        continue;
      }
      // A new file joins the project only if the tsconfig's include/exclude take it.
      included ??= new Set(projectFiles(this.request.tsconfig));
      if (included.has(path.resolve(file)) && !isGeneratedFile(file)) this.project.addSourceFileAtPathIfExists(file);
    }
  }
}
