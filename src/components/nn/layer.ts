/**
 * `Layer`, torch's `nn.Module`: the structure every kindling model and layer shares. Its parameters, buffers and
 * submodules are fields, found by walking them (module-tree.ts), so the dotted names `fc1.weight`, `layers.0.bias`
 * are torch's `state_dict()` keys for the same structure. `training` is not state (as in torch). {@link Module} (the
 * LightningModule) extends it with what a trainer calls; layers (`Linear`, …) extend it directly.
 *
 * Its generated state is empty; subclasses add their `@persist` fields (parameters, submodules) and
 * `@stateful(XState)`, giving `XState = LayerState & { … }`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../state/index.js';
import { LayerState } from './layer.state.generated.js';
import { directMembers } from './module-tree.js';
import type { Buffer, Parameter } from './parameter.js';
import { loadWeights, saveWeights, type WeightsLoadOptions, type WeightsLoadResult, type WeightsSaveOptions } from './weights/weights.js';

function isLayer(value: unknown): value is Layer {
  return value instanceof Layer;
}

@stateful(LayerState)
export abstract class Layer {
  /** Whether the layer is in training mode (dropout active); set by {@link train} / {@link eval}. */
  training = true;

  // ----- structure -----

  /** Direct submodules with their names (`fc1`, `layers.0`). */
  namedChildren(): [string, Layer][] {
    return directMembers<Layer>(this, isLayer).flatMap((m) => (m.kind === 'module' ? [[m.name, m.value] as [string, Layer]] : []));
  }

  /** This module (named `''`, or `prefix`) and every submodule, depth first, each once. */
  namedModules(prefix = ''): [string, Layer][] {
    const out: [string, Layer][] = [];
    const seen = new Set<Layer>();
    const walk = (name: string, module: Layer): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([name, module]);
      for (const [child, m] of module.namedChildren()) walk(name === '' ? child : `${name}.${child}`, m);
    };
    walk(prefix, this);
    return out;
  }

  /** Every parameter with its dotted name (`fc1.weight`), each parameter once (torch's `named_parameters()`). */
  namedParameters(): [string, Parameter][] {
    return this.namedTensors('parameter') as [string, Parameter][];
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name (torch's `named_buffers()`). */
  namedBuffers(): [string, Buffer][] {
    return this.namedTensors('buffer') as [string, Buffer][];
  }

  /** The tfjs variables of the trainable parameters, what `tf.variableGrads` differentiates. */
  trainableVariables(): tf.Variable[] {
    return this.parameters()
      .filter((p) => p.trainable)
      .map((p) => p.variable);
  }

  private namedTensors(kind: 'parameter' | 'buffer'): [string, Parameter | Buffer][] {
    const out: [string, Parameter | Buffer][] = [];
    const seen = new Set<Parameter | Buffer>();
    for (const [prefix, module] of this.namedModules()) {
      for (const m of directMembers<Layer>(module, isLayer)) {
        if (m.kind !== kind || seen.has(m.value)) continue;
        seen.add(m.value);
        out.push([prefix === '' ? m.name : `${prefix}.${m.name}`, m.value]);
      }
    }
    return out;
  }

  /**
   * The parameters, buffers and submodules (dotted names) held by fields that are not `@persist`: they train, but
   * `stateDict()` does not save them. Empty for a model whose every member field is persisted. (A class that writes
   * its own `stateDict` lists its members here too; it knows what it saves.)
   */
  unsavedMembers(): string[] {
    const out: string[] = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const m of directMembers<Layer>(module, isLayer)) if (!m.persisted) out.push(prefix === '' ? m.name : `${prefix}.${m.name}`);
    }
    return out;
  }

  // ----- modes -----

  /** Sets training mode on this module and every submodule (torch's `train(mode)`); returns this module. */
  train(mode = true): this {
    for (const [, module] of this.namedModules()) module.training = mode;
    return this;
  }

  /** Evaluation mode (`train(false)`): dropout passes its input through. */
  eval(): this {
    return this.train(false);
  }

  /** Makes every parameter non-trainable and sets evaluation mode (Lightning's `freeze()`). */
  freeze(): this {
    for (const p of this.parameters()) p.trainable = false;
    return this.eval();
  }

  /** Makes every parameter trainable and sets training mode (Lightning's `unfreeze()`). */
  unfreeze(): this {
    for (const p of this.parameters()) p.trainable = true;
    return this.train();
  }

  /** Releases the memory of every parameter and buffer. */
  dispose(): void {
    for (const [, p] of this.namedParameters()) p.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }

  // ----- weights interop -----

  /**
   * Loads parameters and buffers from a safetensors file by torch name (one written by `saveWeights`, or by Python's
   * `safetensors.torch.save_file(model.state_dict())`). Everything is validated before anything is assigned.
   */
  loadWeights(path: string, options?: WeightsLoadOptions): Promise<WeightsLoadResult> {
    return loadWeights(this, path, options);
  }

  /** Writes parameters and buffers to a safetensors file that torch loads with `load_state_dict(strict=True)`. */
  saveWeights(path: string, options?: WeightsSaveOptions): Promise<void> {
    return saveWeights(this, path, options);
  }
}
