/**
 * One source file's model → the text of its generated file. Pure: the same model gives the same bytes (stable order,
 * no timestamps, posix paths).
 */
import path from 'node:path';
import type { SourceModel, TypeRef } from '../model.js';
import { generatedPathFor, importSpecifier, type OutputLayout, toPosix } from '../paths.js';
import { type ComponentEmitContext, emitComponent } from './component.js';
import { Imports } from './imports.js';
import { rt, RUNTIME_MODULE, RUNTIME_NAMESPACE } from './runtime.js';
import { fill, loadTemplate } from './template.js';
import { wrapLongLines } from './wrap.js';

export interface FileEmitOptions {
  /** Project root: provenance paths are relative to it. */
  readonly root: string;
  readonly layout: OutputLayout;
  /** Whether the project is kindling itself (files under `src/` import the runtime relatively). */
  readonly isKindlingItself: boolean;
}

export interface EmittedFile {
  readonly path: string;
  readonly source: string;
  readonly text: string;
}

/**
 * `'kindling/runtime'`, or inside the kindling repository's `src/` a relative path to the runtime module (no
 * self-import through the package name).
 */
export function runtimeSpecifier(outPath: string, options: FileEmitOptions): string {
  const src = path.join(options.root, 'src');
  if (options.isKindlingItself && !path.relative(src, outPath).startsWith('..')) {
    return importSpecifier(outPath, path.join(src, 'runtime', 'index.ts'));
  }
  return RUNTIME_MODULE;
}

export function emitFile(model: SourceModel, options: FileEmitOptions): EmittedFile {
  const outPath = generatedPathFor(model.file, options.layout);
  const source = toPosix(path.relative(options.root, model.file));
  const imports = new Imports();
  const runtime = runtimeSpecifier(outPath, options);
  const classModule = importSpecifier(outPath, model.file);
  // Names declared or imported by the file itself; an imported user name that collides with one gets an alias.
  const taken = new Set<string>([RUNTIME_NAMESPACE]);
  for (const c of model.components) {
    for (const suffix of ['', 'State', '$Fields', '$codecs']) taken.add(`${c.className}${suffix}`);
  }
  const aliases = new Map<string, string>();
  const ref = (r: TypeRef, typeOnly: boolean): string => {
    let specifier = r.specifier;
    if (specifier === undefined) {
      const target = r.inGenerated ? generatedPathFor(r.file, options.layout) : r.file;
      if (path.resolve(target) === path.resolve(outPath)) return r.name;
      specifier = importSpecifier(outPath, target);
    }
    const key = `${specifier}\0${r.name}`;
    let local = aliases.get(key);
    if (local === undefined) {
      local = r.name;
      for (let n = 2; taken.has(local); n++) local = `${r.name}$${n}`;
      taken.add(local);
      aliases.set(key, local);
    }
    imports.add(specifier, r.name, typeOnly, local === r.name ? undefined : local);
    return local;
  };
  const ctx: ComponentEmitContext = {
    source,
    classModule,
    ref,
    classValue: (r) => ref(r, false),
    tensor: () => rt('Tensor'),
  };
  const components = model.components.map((c) => emitComponent(c, ctx));
  imports.namespace(runtime, RUNTIME_NAMESPACE);
  for (const c of model.components) imports.add(classModule, c.className, true);
  const text = fill(loadTemplate('state-file.ts.tpl'), {
    source,
    imports: imports.render().join('\n'),
    components: components.join(''),
  });
  return { path: outPath, source: model.file, text: `${wrapLongLines(text.replace(/\n{3,}/g, '\n\n').trimEnd())}\n` };
}
