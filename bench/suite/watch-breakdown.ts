/**
 * The breakdown of a watch-mode regeneration: the same work the watcher does for one changed file (ScanSession.update,
 * the incremental scan of the file and its importers, emitProject over what was re-scanned, compare with disk and
 * write), timed in this process, without chokidar or the
 * debounce. The wall time from the edit to the generated file (watch-regeneration.ts) minus this is what detection,
 * the 100 ms debounce and scheduling cost.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProjectConfig, scopeFilter } from '../../codegen/config.js';
import { emitProject } from '../../codegen/index.js';
import { applyToDisk, compareWithDisk } from '../../codegen/run/outputs.js';
import { IncrementalScan } from '../../codegen/run/incremental.js';
import { ScanSession } from '../../codegen/scan/project.js';

export function regenerationWork(projectDir: string, sources: readonly string[], edits: number): number[] {
  const config = loadProjectConfig(join(projectDir, 'tsconfig.json'), projectDir);
  const session = new ScanSession({ tsconfig: config.tsconfig, inScope: scopeFilter(config), isKindlingItself: config.isKindlingItself });
  const scan = new IncrementalScan(session, config.root, config.isKindlingItself);
  applyToDisk(compareWithDisk(emitProject(scan.full().touched))); // the watcher's first round
  const seconds: number[] = [];
  const step = Math.max(1, Math.floor(sources.length / edits));
  for (let i = 0; i < edits; i++) {
    // Other files than the watch measurement edited (offset by half a step).
    const source = sources[(i * step + (step >> 1)) % sources.length]!;
    const text = readFileSync(source, 'utf8');
    const at = text.indexOf('{\n', text.indexOf('export class ')) + 2;
    writeFileSync(source, `${text.slice(0, at)}  @persist() benchBreakdownEdit${i} = ${i};\n${text.slice(at)}`);
    const start = performance.now();
    session.update([source], []);
    applyToDisk(compareWithDisk(emitProject(scan.next([source], []).touched)));
    seconds.push((performance.now() - start) / 1000);
  }
  return seconds;
}
