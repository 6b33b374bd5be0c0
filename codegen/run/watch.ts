/**
 * `kindling codegen --watch`: regenerate whenever a TypeScript file of the project changes. Diagnostics are printed
 * and the watcher keeps running; it stops on SIGINT/SIGTERM or when the returned handle is closed.
 */
import path from 'node:path';
import { watch } from 'chokidar';
import { loadProjectConfig, scopeFilter } from '../config.js';
import { compareDiagnostics } from '../diagnostics.js';
import { emitProject } from '../index.js';
import { isGeneratedFile } from '../paths.js';
import { ScanSession } from '../scan/project.js';
import { IncrementalScan, type IncrementalRound } from './incremental.js';
import { applyToDisk, compareWithDisk } from './outputs.js';
import { countLine, formatDiagnostics, formatWriteSummary } from './report.js';

export interface WatchOptions {
  readonly tsconfig: string;
  readonly cwd: string;
  /** Where lines go (default: stderr). */
  readonly print?: (line: string) => void;
  /** Quiet period after the last change before regenerating, in ms. */
  readonly debounceMs?: number;
}

export interface WatchHandle {
  /** Resolves when the first generation is done. */
  readonly ready: Promise<void>;
  /** Resolves after each regeneration triggered by changes (for tests and tools). */
  onRound(listener: () => void): void;
  close(): Promise<void>;
}

export function startWatch(options: WatchOptions): WatchHandle {
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const config = loadProjectConfig(options.tsconfig, options.cwd);
  const session = new ScanSession({
    tsconfig: config.tsconfig,
    inScope: scopeFilter(config),
    isKindlingItself: config.isKindlingItself,
  });
  const scan = new IncrementalScan(session, config.root, config.isKindlingItself);
  const listeners: (() => void)[] = [];
  const round = (next: () => IncrementalRound): void => {
    try {
      const { model, touched } = next();
      // Only the re-scanned sources are emitted and compared with disk; the report covers the whole project.
      const result = emitProject(touched);
      const diagnostics = [...model.diagnostics].sort(compareDiagnostics);
      for (const line of formatDiagnostics(diagnostics, options.cwd)) print(line);
      const summary = applyToDisk(compareWithDisk(result));
      for (const line of formatWriteSummary(summary, options.cwd)) print(line);
      print(`kindling codegen --watch: ${model.sources.length} generated file(s); ${countLine(diagnostics)}; watching for changes`);
    } catch (e) {
      // A broken round (e.g. a file removed mid-scan) must not end the watch: report it and wait for the next change.
      print(`kindling codegen --watch: generation failed: ${(e as Error).stack ?? String(e)}`);
    }
    for (const l of listeners) l();
  };
  const changed = new Set<string>();
  const removed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const files = { changed: [...changed], removed: [...removed] };
      changed.clear();
      removed.clear();
      session.update(files.changed, files.removed);
      // A changed tsconfig reopened the project: scan it all again.
      const reopened = files.changed.some((f) => path.resolve(f) === config.tsconfig);
      round(() => (reopened ? scan.full() : scan.next(files.changed, files.removed)));
    }, options.debounceMs ?? 100);
  };
  const ignored = (file: string): boolean => {
    const parts = file.split(path.sep);
    return parts.includes('node_modules') || parts.includes('.git') || parts.includes('dist');
  };
  const watcher = watch(config.root, { ignored, ignoreInitial: true });
  const relevant = (file: string) => /\.(m|c)?tsx?$/.test(file) || path.resolve(file) === config.tsconfig;
  watcher.on('all', (event, file) => {
    const abs = path.resolve(config.root, file);
    if (!relevant(abs)) return;
    // Our own writes would loop; a deleted generated file is regenerated.
    if (isGeneratedFile(abs) && event !== 'unlink') return;
    if (event === 'unlink') removed.add(abs);
    else if (event === 'add' || event === 'change') changed.add(abs);
    else return;
    schedule();
  });
  const ready = new Promise<void>((resolve) => {
    watcher.on('ready', () => {
      round(() => scan.full());
      resolve();
    });
  });
  return {
    ready,
    onRound: (listener) => listeners.push(listener),
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** Runs the watch until the process is interrupted. */
export async function watchProject(options: WatchOptions): Promise<void> {
  const handle = startWatch(options);
  await handle.ready;
  await new Promise<void>((resolve) => {
    const stop = () => {
      void handle.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
