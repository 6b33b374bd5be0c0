/**
 * ModelCheckpoint's file names: Lightning's `{epoch}-{step}-{val_loss:.3f}` templates, which can never name a file
 * outside the checkpoint directory.
 *
 * As in Lightning, each `{name}` becomes `name=<value>` (`epoch=3-step=120-val_loss=0.412`) unless
 * `autoInsertMetricName` is off, a name that is not among the metrics formats as 0, and the format spec after `:`
 * is Python's (`.3f`, `.2e`, `03d`, `.4g`, …; see python-format.ts).
 *
 * What keeps names inside `dirpath`: a template that is absolute or has a `..`/`.` segment is refused when the
 * callback is created, and each interpolated part (metric names and values) has `/`, `\` and NUL replaced by `_`, so
 * only the template's own `/` make subdirectories. {@link resolveInside} checks the final path once more.
 */
import path from 'node:path';
import { CallbackConfigError } from '../errors.js';
import { FORMAT_SPEC, formatNumber } from './python-format.js';

/** The extension of checkpoint files ModelCheckpoint writes. */
export const CHECKPOINT_EXTENSION = '.ckpt';
/** The base name of the "last" checkpoint (`last.ckpt`). */
export const LAST_NAME = 'last';
const JOIN = '-';
const DEFAULT_TEMPLATE = '{epoch}-{step}';

const FIELD = /\{([^{}:]*)(?::([^{}]*))?\}/g;

export interface FilenameTemplate {
  readonly template: string;
  readonly autoInsertMetricName: boolean;
}

/** Checks `template` (undefined = Lightning's default `{epoch}-{step}`); throws CallbackConfigError naming the problem. */
export function parseTemplate(template: string | undefined, autoInsertMetricName = true): FilenameTemplate {
  const text = template ?? DEFAULT_TEMPLATE;
  const fail = (why: string) => new CallbackConfigError(`ModelCheckpoint: filename '${text}' ${why}`);
  if (text === '') throw fail('is empty');
  if (path.posix.isAbsolute(text) || path.win32.isAbsolute(text)) throw fail('is absolute; give a name relative to dirpath');
  const literal = text.replace(FIELD, 'x');
  if (/[{}]/.test(literal)) throw fail('has an unmatched { or }');
  if (literal.includes('\0')) throw fail('contains a NUL character');
  for (const segment of literal.split(/[/\\]/)) {
    if (segment === '..' || segment === '.' || segment === '') throw fail(`has a '${segment}' path segment; names must stay inside dirpath`);
  }
  for (const match of text.matchAll(FIELD)) {
    const [, name, spec] = match;
    if (name === undefined || name.trim() === '') throw fail('has an empty {} field; write a metric name, e.g. {val_loss}');
    if (spec !== undefined && !FORMAT_SPEC.test(spec)) throw fail(`has the format spec ':${spec}', which is not supported (use e.g. :.3f, :.2e, :03d)`);
  }
  return { template: text, autoInsertMetricName };
}

/**
 * The file name (without extension) for `metrics`: Lightning's `_format_checkpoint_name`, with interpolated parts
 * made safe. `prefix` is joined with `-`; `version` adds `-v<N>` (names that already exist).
 */
export function formatName(parsed: FilenameTemplate, metrics: Readonly<Record<string, number>>, options: { prefix?: string; version?: number } = {}): string {
  let name = parsed.template.replace(FIELD, (_whole, rawName: string, spec: string | undefined) => {
    const value = metrics[rawName] ?? 0;
    const formatted = safePart(formatNumber(value, spec));
    return parsed.autoInsertMetricName ? `${safePart(rawName)}=${formatted}` : formatted;
  });
  if (options.prefix !== undefined && options.prefix !== '') name = `${safePart(options.prefix)}${JOIN}${name}`;
  if (options.version !== undefined) name = `${name}${JOIN}v${options.version}`;
  return name;
}

/** `dirpath/name.ckpt`, refusing anything that would leave `dirpath` (a second line of defence after parseTemplate). */
export function resolveInside(dirpath: string, name: string): string {
  const root = path.resolve(dirpath);
  const file = path.resolve(root, `${name}${CHECKPOINT_EXTENSION}`);
  if (!isInside(root, file)) throw new CallbackConfigError(`ModelCheckpoint: the checkpoint name '${name}' resolves outside dirpath ${root}`);
  return file;
}

/** Whether `file` is strictly below `dir` (both absolute). */
export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** An interpolated part with path separators and NUL replaced, so it cannot add a directory level. */
function safePart(text: string): string {
  return text.replace(/[/\\\0]/g, '_');
}
