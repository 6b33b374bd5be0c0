/** Path conventions shared by scanning, emitting and checking (no ts-morph here). */
import path from 'node:path';

export const GENERATED_SUFFIX = '.state.generated.ts';

/** `/a/b/early-stopping.ts` → `early-stopping` */
export function sourceBase(file: string): string {
  return path.basename(file).replace(/\.(m|c)?tsx?$/, '');
}

/**
 * Where the generated file for `source` goes: beside it, or mirrored under `outDir` relative to `rootDir`.
 */
export function generatedPathFor(source: string, layout: OutputLayout = {}): string {
  const dir = layout.outDir ? path.join(layout.outDir, path.relative(layout.rootDir ?? process.cwd(), path.dirname(source))) : path.dirname(source);
  return path.join(dir, `${sourceBase(source)}${GENERATED_SUFFIX}`);
}

export interface OutputLayout {
  readonly outDir?: string;
  readonly rootDir?: string;
}

export function isGeneratedFile(file: string): boolean {
  return file.endsWith(GENERATED_SUFFIX);
}

/** Forward slashes, for messages and generated text (the same on every OS). */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * A relative ESM import specifier from the file `from` to the TypeScript file `to`: `./x.js`, `../y/z.js`; a
 * declaration file `z.d.ts` is imported as the module it describes, `z.js`.
 */
export function importSpecifier(from: string, to: string): string {
  let rel = toPosix(path.relative(path.dirname(from), to))
    .replace(/\.d(\.(m|c)?ts)$/, '$1')
    .replace(/\.(m|c)?tsx?$/, (ext) => ext.replace('ts', 'js').replace('x', ''));
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

/**
 * A glob as a RegExp over posix paths relative to the project root: `**` any depth, `*` within a segment, `?` one
 * character. Enough for exclude lists; no braces or negation.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A directory pattern (`test` or `test/`) also matches everything under it.
  return new RegExp(`^${out.replace(/\/$/, '')}(?:/.*)?$`);
}
