/**
 * Weights in and out of the ecosystem: a layer's parameters and buffers as a safetensors file whose tensor names are
 * torch's `state_dict()` keys (`fc1.weight`, `layers.0.bias`).
 *
 * - `saveWeights` writes through a {@link CheckpointIO} (atomic, checksummed): a kindling file is a safetensors
 *   file whose tensor names are the paths of its state tree, so a tree `{ fc1: { weight } }` is the tensor
 *   `fc1.weight`, which `safetensors.torch.load_file` reads and `load_state_dict(strict=True)` accepts.
 * - `loadWeights` reads a kindling file through the CheckpointIO (checksums verified) and a plain safetensors file
 *   (Python's `save_file`, which has no kindling state tree) from the CheckpointIO's `readBytes`, parsed by
 *   {@link readPlainSafetensors}. A trainer checkpoint (`trainer.saveCheckpoint`, ModelCheckpoint's files) gives the
 *   tensors of its `module` section, so the weights of any checkpoint load into a fresh module. It validates every
 *   tensor before assigning any: a wrong dtype or shape fails with the file, the name and both shapes, and changes
 *   nothing. `strict` (default true) also fails on missing and unexpected names; otherwise it loads what matches
 *   and returns them, as torch's `load_state_dict(strict=False)` does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { CheckpointError } from '../../../checkpoint/errors.js';
import { LocalCheckpointIO } from '../../../checkpoint/local-io.js';
import type { CheckpointIO, StateTree, StateValue } from '../../../checkpoint/types.js';
import { isTensor, type Tensor } from '../../../state/index.js';
import { fromTfTensor, toTfTensor } from '../../engine/convert.js';
import { WeightsError } from '../errors.js';
import type { Layer } from '../layer.js';
import { type Buffer, describeShape, type Parameter } from '../parameter.js';
import { readPlainSafetensors } from './plain-safetensors.js';

export interface WeightsLoadOptions {
  /** Fail on names the file lacks or the layer lacks (default true), as torch's `load_state_dict(strict=True)`. */
  readonly strict?: boolean;
  /** Storage for kindling files (default: the local file system). */
  readonly io?: CheckpointIO;
}

export interface WeightsSaveOptions {
  readonly io?: CheckpointIO;
}

/** What a non-strict load skipped (both empty after a strict load). */
export interface WeightsLoadResult {
  readonly missingKeys: string[];
  readonly unexpectedKeys: string[];
}

function namedTensors(layer: Layer): [string, Parameter | Buffer][] {
  return [...layer.namedParameters(), ...layer.namedBuffers()];
}

/** `{ a: { b: t } }` for the name `a.b` (the checkpoint writer joins the path back into the same name). */
function treeOf(entries: readonly [string, Tensor][]): StateTree {
  const root: Record<string, StateValue> = {};
  for (const [name, t] of entries) {
    const segments = name.split('.');
    let node = root;
    for (const segment of segments.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, StateValue>;
    node[segments.at(-1)!] = t;
  }
  return root;
}

function flatten(tree: StateValue, prefix: string, out: Map<string, Tensor>): void {
  if (isTensor(tree)) out.set(prefix, tree);
  else if (Array.isArray(tree)) tree.forEach((v, i) => flatten(v as StateValue, prefix === '' ? String(i) : `${prefix}.${i}`, out));
  else if (typeof tree === 'object' && tree !== null) {
    for (const [k, v] of Object.entries(tree)) if (v !== undefined) flatten(v as StateValue, prefix === '' ? k : `${prefix}.${k}`, out);
  }
}

/**
 * The module section of a trainer checkpoint (docs/checkpoint-layout.md: a `layoutVersion` and a `module`), whose
 * names are the module's own; any other tree as it is. Without this, a trainer checkpoint's names all carry a
 * `module.` prefix and match nothing, though the docs send users here to start a new fit from a weights-only file.
 */
function weightsTree(tree: StateTree): StateValue {
  const module = tree['module'];
  const isTrainerCheckpoint = typeof tree['layoutVersion'] === 'number' && typeof module === 'object' && module !== null && !isTensor(module);
  return isTrainerCheckpoint ? module : tree;
}

async function readTensors(path: string, io: CheckpointIO): Promise<Map<string, Tensor>> {
  try {
    const out = new Map<string, Tensor>();
    flatten(weightsTree(await io.load(path)), '', out);
    return out;
  } catch (error) {
    if (!(error instanceof CheckpointError)) throw error;
    // One error type for a weights file that cannot be used; the checkpoint reader's message names the file.
    if (error.reason !== 'not-kindling') throw new WeightsError(`cannot load weights: ${error.message}`, { cause: error });
  }
  if (io.readBytes === undefined) {
    throw new WeightsError(`${path}: not a kindling file, and this CheckpointIO has no readBytes to read a plain safetensors file; implement readBytes, or load it with the default local IO`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await io.readBytes(path);
  } catch (error) {
    throw new WeightsError(`${path}: cannot read the weights file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  return readPlainSafetensors(bytes, path);
}

/** Writes the layer's parameters and buffers to `path` under their torch names. */
export async function saveWeights(layer: Layer, path: string, options: WeightsSaveOptions = {}): Promise<void> {
  const entries = namedTensors(layer).map(([name, t]) => [name, fromTfTensor(t.variable, name)] as [string, Tensor]);
  await (options.io ?? new LocalCheckpointIO()).save(path, treeOf(entries));
}

/** Loads parameters and buffers by torch name from a safetensors file; validates everything before assigning. */
export async function loadWeights(layer: Layer, path: string, options: WeightsLoadOptions = {}): Promise<WeightsLoadResult> {
  const tensors = await readTensors(path, options.io ?? new LocalCheckpointIO());
  const live = namedTensors(layer);
  const liveNames = new Set(live.map(([n]) => n));
  const missingKeys = live.filter(([n]) => !tensors.has(n)).map(([n]) => n);
  const unexpectedKeys = [...tensors.keys()].filter((n) => !liveNames.has(n));
  const problems: string[] = [];
  for (const [name, target] of live) {
    const t = tensors.get(name);
    if (t === undefined) continue;
    const same = t.dtype === target.dtype && t.shape.length === target.shape.length && t.shape.every((d, i) => d === target.shape[i]);
    if (!same) problems.push(`${name}: expected ${target.describe()}, got ${describeShape(t.dtype, t.shape)}`);
  }
  const strict = options.strict ?? true;
  if (strict && missingKeys.length > 0) problems.push(`missing from the file: ${missingKeys.join(', ')}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`not in ${layer.constructor.name}: ${unexpectedKeys.join(', ')}`);
  if (problems.length > 0) {
    const namesOnly = strict && problems.every((p) => p.startsWith('missing') || p.startsWith('not in'));
    // `strict: false` would load nothing when no name matches: say so instead of suggesting it.
    const noneMatch = live.every(([n]) => !tensors.has(n));
    const hint = !namesOnly ? '' : noneMatch ? ' (no name in the file matches: is it the weights of another model?)' : ' (pass { strict: false } to load the names that match)';
    throw new WeightsError(`${path}: the weights do not fit ${layer.constructor.name}, nothing was loaded: ${problems.join('; ')}${hint}`);
  }
  const values = live.flatMap(([name, target]) => {
    const t = tensors.get(name);
    return t === undefined ? [] : [[target, toTfTensor(t, `${path}: ${name}`)] as const];
  });
  for (const [target, value] of values) target.variable.assign(value);
  tf.dispose(values.map(([, v]) => v));
  return { missingKeys: strict ? [] : missingKeys, unexpectedKeys: strict ? [] : unexpectedKeys };
}

