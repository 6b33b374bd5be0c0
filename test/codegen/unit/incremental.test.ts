/**
 * Watch mode's incremental scan gives what a full scan gives: after every edit, the merged diagnostics and sources
 * equal a fresh full scan's, and the generated files on disk are what a full `kindling codegen` would write. Edits
 * cover a base class in another file, a shared interface, an error appearing and going away, and a removed file.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerTsconfig } from './consumer-tsconfig.js';
import { loadProjectConfig, scopeFilter } from '../../../codegen/config.js';
import { emitProject } from '../../../codegen/index.js';
import type { ProjectModel } from '../../../codegen/model.js';
import { IncrementalScan, type IncrementalRound } from '../../../codegen/run/incremental.js';
import { applyToDisk, compareWithDisk } from '../../../codegen/run/outputs.js';
import { ScanSession, scanProject, type ScanRequest } from '../../../codegen/scan/project.js';

const REPO = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
let dir: string;
const at = (rel: string): string => path.join(dir, rel);
const write = (rel: string, text: string): void => writeFileSync(at(rel), text);

const component = (name: string, fields: string, extra = ''): string => `import { persist, stateful } from 'kindling';
import { ${name}State } from './${name.toLowerCase()}.state.generated.js';
${extra}
@stateful(${name}State)
export class ${name}${extra.includes('import { Base }') ? ' extends Base' : ''} {
${fields}
}
`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kindling-incremental-'));
  write('tsconfig.json', consumerTsconfig(at('kindling/index.ts')));
  // The state layer alone stands in for 'kindling' (what these components and codegen's symbol lookup need), so that
  // each of the test's full scans parses a small program rather than the whole framework.
  mkdirSync(at('kindling'));
  const state = (file: string): string => JSON.stringify(path.join(REPO, 'src/state', file));
  write(
    'kindling/index.ts',
    [
      `export { persist, stateful } from ${state('decorators.js')};`,
      `export { type Tensor, zeros } from ${state('tensor.js')};`,
      `export type { GeneratedState } from ${state('codec.js')};`,
      `export type { GeneratedStateWithShims } from ${state('shims.js')};`,
      `export { VALUE_KIND } from ${state('value-kinds.js')};`,
      '',
    ].join('\n'),
  );
  write('base.ts', component('Base', '  @persist() a = 0;'));
  write('sub.ts', component('Sub', "  @persist() b = '';", "import { Base } from './base.js';"));
  write('shapes.ts', 'export interface Window {\n  size: number;\n}\n');
  write('windowed.ts', component('Windowed', '  @persist() window: Window = { size: 1 };', "import type { Window } from './shapes.js';"));
  write('other.ts', component('Other', '  @persist() c = true;'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function request(): ScanRequest {
  const config = loadProjectConfig(at('tsconfig.json'), dir);
  return { tsconfig: config.tsconfig, inScope: scopeFilter(config), isKindlingItself: config.isKindlingItself };
}

/** What the report and the generated code depend on, in a comparable form. */
function essence(model: ProjectModel): unknown {
  return {
    sources: [...model.sources].sort((a, b) => (a.file < b.file ? -1 : 1)),
    diagnostics: [...model.diagnostics].map((d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.code} ${d.message}`).sort(),
    failed: [...model.failedSources].map((f) => path.basename(f)).sort(),
  };
}

describe('the incremental scan of watch mode', () => {
  it('matches a full scan after every edit, and leaves the disk as a full run would', () => {
    const session = new ScanSession(request());
    const scan = new IncrementalScan(session, dir, false);
    const apply = (round: IncrementalRound): string[] => {
      applyToDisk(compareWithDisk(emitProject(round.touched)));
      return round.touched.sources.map((s) => path.basename(s.file)).sort();
    };
    const check = (round: IncrementalRound): void => {
      const full = scanProject(request());
      expect(essence(round.model)).toEqual(essence(full));
      // Nothing left for a full run to write or remove.
      expect(compareWithDisk(emitProject(full)).filter((s) => s.kind !== 'fresh')).toEqual([]);
    };
    const edit = (changed: string[], removed: string[] = []): IncrementalRound => {
      session.update(changed.map(at), removed.map(at));
      return scan.next(changed.map(at), removed.map(at));
    };

    const first = scan.full();
    expect(apply(first)).toEqual(['base.ts', 'other.ts', 'sub.ts', 'windowed.ts']);
    check(first);

    // A base class in another file: its subclass is re-scanned with it, nothing else.
    write('base.ts', component('Base', '  @persist() a = 0;\n  @persist() added = 1;'));
    let round = edit(['base.ts']);
    expect(apply(round)).toEqual(['base.ts', 'sub.ts']);
    check(round);

    // A shared interface gains a member kindling cannot store: the importer fails, with its diagnostic.
    write('shapes.ts', 'export interface Window {\n  size: number;\n  onResize: () => void;\n}\n');
    round = edit(['shapes.ts']);
    expect(round.model.diagnostics.length).toBeGreaterThan(0);
    expect(round.model.failedSources.map((f) => path.basename(f))).toEqual(['windowed.ts']);
    apply(round);
    check(round);

    // And loses it again: the diagnostic goes.
    write('shapes.ts', 'export interface Window {\n  size: number;\n}\n');
    round = edit(['shapes.ts']);
    expect(round.model.diagnostics).toEqual([]);
    expect(apply(round)).toEqual(['windowed.ts']);
    check(round);

    // A subclass that drops @stateful but keeps @persist fields: reported in its own file.
    write('sub.ts', "import { persist } from 'kindling';\nimport { Base } from './base.js';\n\nexport class Sub extends Base {\n  @persist() b = '';\n}\n");
    round = edit(['sub.ts']);
    expect(round.model.diagnostics.some((d) => path.basename(d.file) === 'sub.ts')).toBe(true);
    apply(round);
    check(round);

    // A removed source: its generated file is an orphan and goes.
    unlinkSync(at('other.ts'));
    round = edit([], ['other.ts']);
    expect(round.touched.existingGenerated.map((f) => path.basename(f))).toContain('other.state.generated.ts');
    apply(round);
    check(round);
  });
});
