/**
 * Writes a synthetic but realistic kindling project for the codegen benchmark: N `@stateful` component classes, one
 * per file, with a seeded mix of field types (primitives, literal unions, nullable and optional fields, arrays,
 * tuples, records, tensors, Map/Set/Date/bigint, enums and interfaces from a shared file), some private fields, some
 * `@persist` options, and inheritance from base components that live in other files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface SyntheticProjectOptions {
  /** Directory to write into (created; existing files with the same names are overwritten). */
  readonly dir: string;
  /** Total number of @stateful classes, bases included. */
  readonly classes: number;
  /**
   * Absolute path of kindling's entry, mapped as the `kindling` import: `src/index.ts`, or a build's `index.d.ts` (as
   * a user of the package resolves it). `kindling/runtime` is mapped to `runtime/<same name>` beside it.
   */
  readonly kindlingEntry: string;
  /** Absolute path of a node_modules/@types directory that has `node`. */
  readonly typeRoots: string;
  readonly seed?: number;
}

export interface SyntheticProject {
  readonly tsconfig: string;
  readonly sourceFiles: readonly string[];
  readonly fieldCount: number;
}

const BASES = 25;

/** A small deterministic PRNG (mulberry32), so every run of the benchmark scans the same project. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type FieldTemplate = (name: string) => string;

/** One line per field; `name` is unique in the class and its ancestors. */
const FIELD_TEMPLATES: readonly FieldTemplate[] = [
  (n) => `@persist() ${n} = 0;`,
  (n) => `@persist() ${n}: number = 0.001;`,
  (n) => `@persist() ${n} = 'idle';`,
  (n) => `@persist() ${n}: boolean = true;`,
  (n) => `@persist() ${n}: 'min' | 'max' = 'min';`,
  (n) => `@persist() ${n}: number | null = null;`,
  (n) => `@persist() ${n}?: string;`,
  (n) => `@persist() ${n}: number[] = [];`,
  (n) => `@persist() ${n}: readonly string[] = [];`,
  (n) => `@persist() ${n}: [number, number] = [0.9, 0.999];`,
  (n) => `@persist() ${n}: Record<string, number> = {};`,
  (n) => `@persist() ${n}: Tensor<'float32'> = zeros('float32', [8, 8]);`,
  (n) => `@persist() ${n}: Tensor<'float32'>[] = [];`,
  (n) => `@persist() ${n}: Map<string, number> = new Map();`,
  (n) => `@persist() ${n}: Set<string> = new Set();`,
  (n) => `@persist() ${n}: Date = new Date(0);`,
  (n) => `@persist() ${n}: bigint = 0n;`,
  (n) => `@persist() ${n}: Phase = Phase.Train;`,
  (n) => `@persist() ${n}: Schedule = { warmup: 0, decay: 'cosine', milestones: [] };`,
  (n) => `@persist() ${n}: MetricWindow | null = null;`,
  (n) => `@persist() ${n}: { step: number; loss: number }[] = [];`,
  (n) => `@persist() private ${n} = 0;`,
  (n) => `@persist({ legacyNames: ['${n}_v1'] }) ${n} = 0;`,
  (n) => `@persist({ name: '${n}_key', optional: true }) ${n} = '';`,
];

const SHARED_TYPES = `export enum Phase {
  Train,
  Validate,
  Test,
}

export interface Schedule {
  warmup: number;
  decay: 'linear' | 'cosine';
  milestones: number[];
}

export interface MetricWindow {
  size: number;
  values: number[];
  reduction: 'mean' | 'max';
}
`;

function tsconfigText(options: SyntheticProjectOptions): string {
  return `${JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022'],
        types: ['node'],
        typeRoots: [options.typeRoots],
        strict: true,
        noUncheckedIndexedAccess: true,
        isolatedModules: true,
        verbatimModuleSyntax: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        useDefineForClassFields: false,
        skipLibCheck: true,
        noEmit: true,
        // Generated code imports its runtime from kindling/runtime, beside the entry.
        paths: { kindling: [options.kindlingEntry], 'kindling/runtime': [join(dirname(options.kindlingEntry), 'runtime', basename(options.kindlingEntry))] },
      },
      include: ['src'],
    },
    null,
    2,
  )}\n`;
}

function pascal(i: number, prefix: string): string {
  return `${prefix}${String(i).padStart(4, '0')}`;
}

interface ClassSource {
  readonly file: string;
  readonly text: string;
  readonly fields: number;
}

function classSource(
  className: string,
  base: { className: string; module: string } | undefined,
  fieldPrefix: string,
  fieldCount: number,
  next: () => number,
): ClassSource {
  const base36 = className.toLowerCase();
  const lines: string[] = [];
  for (let f = 0; f < fieldCount; f++) {
    const template = FIELD_TEMPLATES[Math.floor(next() * FIELD_TEMPLATES.length)]!;
    lines.push(`  ${template(`${fieldPrefix}${f}`)}`);
  }
  // Some plain (not persisted) state, as real components have.
  // (named per class: a subclass may not redeclare its base's private field)
  lines.push(`  private readonly ${fieldPrefix}Config = { every: ${Math.floor(next() * 100)} };`);
  const imports = [
    `import { persist, stateful, type Tensor, zeros } from 'kindling';`,
    `import { ${className}State } from './${base36}.state.generated.js';`,
    `import { Phase, type MetricWindow, type Schedule } from '../shared/types.js';`,
  ];
  if (base) imports.push(`import { ${base.className} } from '${base.module}';`);
  const heading = `@stateful(${className}State)\nexport class ${className}${base ? ` extends ${base.className}` : ''} {`;
  const text = `${imports.join('\n')}\n\n${heading}\n${lines.join('\n')}\n\n  describe(): string {\n    return \`${className} every \${this.${fieldPrefix}Config.every}\`;\n  }\n}\n`;
  return { file: `${base36}.ts`, text, fields: fieldCount };
}

/**
 * Writes the project and returns its tsconfig. The project type-checks once generated (unused imports of
 * Tensor/zeros/Phase are allowed by the tsconfig: no noUnusedLocals).
 */
export function writeSyntheticProject(options: SyntheticProjectOptions): SyntheticProject {
  const next = random(options.seed ?? 20261128);
  const src = join(options.dir, 'src');
  for (const sub of ['shared', 'bases', 'components']) mkdirSync(join(src, sub), { recursive: true });
  writeFileSync(join(options.dir, 'tsconfig.json'), tsconfigText(options));
  writeFileSync(join(options.dir, 'package.json'), `${JSON.stringify({ name: 'synthetic-kindling-project', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(src, 'shared/types.ts'), SHARED_TYPES);

  const files: string[] = [];
  let fieldCount = 0;
  const bases = Math.min(BASES, options.classes);
  for (let i = 0; i < bases; i++) {
    const c = classSource(pascal(i, 'BaseComponent'), undefined, 'base', 3 + Math.floor(next() * 4), next);
    const path = join(src, 'bases', c.file);
    writeFileSync(path, c.text);
    files.push(path);
    fieldCount += c.fields;
  }
  for (let i = bases; i < options.classes; i++) {
    // One component in five extends a base component from another directory.
    const extend = next() < 0.2;
    const baseIndex = Math.floor(next() * bases);
    const base = extend
      ? { className: pascal(baseIndex, 'BaseComponent'), module: `../bases/${pascal(baseIndex, 'BaseComponent').toLowerCase()}.js` }
      : undefined;
    const c = classSource(pascal(i, 'Component'), base, 'own', 4 + Math.floor(next() * 11), next);
    const path = join(src, 'components', c.file);
    writeFileSync(path, c.text);
    files.push(path);
    fieldCount += c.fields;
  }
  return { tsconfig: join(options.dir, 'tsconfig.json'), sourceFiles: files, fieldCount };
}
