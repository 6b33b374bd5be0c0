/**
 * What to do when a checkpoint's module does not fit the module given to a restore: the issues name the paths and
 * both shapes, but not the cause, which is nearly always a module built with other hyperparameters than the run that
 * saved the file. The hint compares the two `hparams` when both are there, and otherwise points to the saved tree.
 */
import type { StateIssue } from '../../state/errors.js';
import type { HParamValue } from '../../components/data/data-module.js';

/** A tensor signature as the state layer reports it: `float32[32,64]`. */
const TENSOR_SIGNATURE = /^[a-z]+\d*\[[\d,]*\]$/;

function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters)` : text;
}

/** The hint for `issues`, or undefined when no module tensor has another shape. */
export function moduleShapeHint(
  issues: readonly StateIssue[],
  where: string,
  module: { readonly constructor: { readonly name: string }; readonly hparams?: Readonly<Record<string, HParamValue>> },
  savedHparams: unknown,
): string | undefined {
  const shapes = issues.some((i) => i.path.startsWith('module.') && i.kind === 'type' && TENSOR_SIGNATURE.test(i.expected) && TENSOR_SIGNATURE.test(i.actual));
  if (!shapes) return undefined;
  const name = module.constructor.name;
  const saved = typeof savedHparams === 'object' && savedHparams !== null ? shown(savedHparams) : undefined;
  const live = module.hparams === undefined ? undefined : shown(module.hparams);
  if (saved !== undefined && live !== undefined && saved !== live) {
    return `The module's tensors have other shapes than ${where}'s: it was saved with hparams ${saved}, and this ${name} has ${live}. Build the ${name} with the saved hparams.`;
  }
  return `The module's tensors have other shapes than ${where}'s: build the ${name} as the run that saved it did (\`kindling inspect --tree ${where}\` shows the saved shapes and hparams).`;
}
