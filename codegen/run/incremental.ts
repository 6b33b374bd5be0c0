/**
 * Watch mode's scan: the whole project once, then after each change only the changed files and the files that import
 * them (directly or not), each file's result replacing its earlier one. A file's generated code and diagnostics
 * depend only on the file and what it imports (ScanSession.scanEach), so the merged result is what a full scan would
 * give (test/codegen/unit/incremental.test.ts checks it against one after every edit), for a fraction of the work:
 * re-scanning 500 components after one edit cost most of a watch round (BENCHMARKS.md, "Watch mode").
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ProjectModel } from '../model.js';
import { generatedPathFor } from '../paths.js';
import { dedupe, type FileScan, type ScanSession } from '../scan/project.js';

export interface IncrementalRound {
  /** The whole project as it is now: every file's components and diagnostics (for the report). */
  readonly model: ProjectModel;
  /** Only what this round re-scanned, with the generated files of re-scanned and removed sources as orphan candidates. */
  readonly touched: ProjectModel;
}

export class IncrementalScan {
  private readonly results = new Map<string, FileScan>();

  constructor(
    private readonly session: ScanSession,
    private readonly root: string,
    private readonly isKindlingItself: boolean,
  ) {}

  /** Scans the whole project, forgetting earlier results. */
  full(): IncrementalRound {
    this.results.clear();
    for (const [file, result] of this.session.scanEach()) this.results.set(file, result);
    this.session.watchDependents();
    const model = this.model(this.session.existingGenerated());
    return { model, touched: model };
  }

  /** After `session.update(changed, removed)`: re-scans the changed files and their dependents. */
  next(changed: readonly string[], removed: readonly string[]): IncrementalRound {
    const gone = removed.map((f) => path.resolve(f));
    for (const file of gone) this.results.delete(file);
    // A removed file's importers change too (an import that no longer resolves).
    const affected = this.session.dependentsOf([...changed, ...gone]).filter((f) => !gone.includes(f));
    const rescanned = this.session.scanEach(affected);
    for (const [file, result] of rescanned) this.results.set(file, result);
    const candidates = [...affected, ...gone].map((f) => generatedPathFor(f)).filter((g) => existsSync(g));
    const touchedResults = [...rescanned.values()];
    return {
      model: this.model([]),
      touched: {
        root: this.root,
        sources: touchedResults.flatMap((r) => (r.source ? [r.source] : [])),
        diagnostics: [],
        existingGenerated: candidates.sort(),
        failedSources: this.failedSources(),
        isKindlingItself: this.isKindlingItself,
      },
    };
  }

  private model(existingGenerated: readonly string[]): ProjectModel {
    const entries = [...this.results.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      root: this.root,
      sources: entries.flatMap(([, r]) => (r.source ? [r.source] : [])),
      diagnostics: dedupe(entries.flatMap(([, r]) => r.diagnostics)),
      existingGenerated,
      failedSources: this.failedSources(),
      isKindlingItself: this.isKindlingItself,
    };
  }

  private failedSources(): string[] {
    return [...this.results.entries()].filter(([, r]) => r.failed).map(([f]) => f).sort();
  }
}
