/**
 * torch's `nn.Sequential`: layers applied in order. Its layers are the field `layers`, so their parameters are named
 * `layers.0.weight`, … (torch names the children of a top-level `nn.Sequential` `0.weight`; a torch model that holds
 * it as `self.layers = nn.Sequential(…)` has kindling's names).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../../state/index.js';
import { ModuleError } from '../errors.js';
import { Layer } from '../layer.js';
import { SequentialState } from './sequential.state.generated.js';

/** A layer with a one-tensor forward, what Sequential chains. */
export interface ForwardLayer extends Layer {
  forward(x: tf.Tensor): tf.Tensor;
}

function hasForward(layer: Layer): layer is ForwardLayer {
  return typeof (layer as unknown as { forward?: unknown }).forward === 'function';
}

@stateful(SequentialState)
export class Sequential extends Layer {
  @persist() readonly layers: Layer[];

  constructor(...layers: ForwardLayer[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Layer) || !hasForward(layer)) throw new ModuleError(`Sequential: argument ${i} is not a layer with forward(x)`);
    });
    this.layers = layers;
  }

  forward(x: tf.Tensor): tf.Tensor {
    let y = x;
    this.layers.forEach((layer, i) => {
      const next = (layer as ForwardLayer).forward(y);
      if (i > 0) y.dispose();
      y = next;
    });
    return y === x && this.layers.length === 0 ? x.clone() : y;
  }
}
