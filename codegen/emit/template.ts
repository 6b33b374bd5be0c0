/**
 * The file shapes of generated code live in `templates/*.tpl` (shipped with the package); emitters fill their
 * `{{slot}}`s. Loading is the only I/O in the emit stage and happens once per process.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

/** The `templates/` directory: found upwards from this module (source tree and `dist/` have different depths). */
function templatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'templates');
    if (existsSync(path.join(candidate, 'state-file.ts.tpl'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('kindling codegen: templates/ not found next to the package (a broken install?)');
    dir = parent;
  }
}

export function loadTemplate(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(templatesDir(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Fills `{{slot}}`s; a slot without a value is a bug in the emitter, not something to print. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, slot: string) => {
    const value = values[slot];
    if (value === undefined) throw new Error(`template slot {{${slot}}} has no value`);
    return value;
  });
}
