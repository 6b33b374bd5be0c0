/** torch's `nn.Embedding`: a lookup table of shape [numEmbeddings, embeddingDim], initialised N(0, 1). */
import * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../../state/index.js';
import type { Generator } from '../../rng/generator.js';
import { ModuleError } from '../errors.js';
import { normalInit } from '../init.js';
import { Layer } from '../layer.js';
import { Parameter } from '../parameter.js';
import { EmbeddingState } from './embedding.state.generated.js';

export interface EmbeddingOptions {
  /** A row that is initialised to zeros (torch's `padding_idx`; negative counts from the end). */
  readonly paddingIdx?: number;
  readonly generator?: Generator;
}

@stateful(EmbeddingState)
export class Embedding extends Layer {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | undefined;
  @persist() weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    let padding = options.paddingIdx;
    if (padding !== undefined) {
      if (!Number.isSafeInteger(padding) || padding >= numEmbeddings || padding < -numEmbeddings) {
        throw new ModuleError(`Embedding: paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings}), got ${padding}`);
      }
      if (padding < 0) padding += numEmbeddings;
    }
    this.paddingIdx = padding;
    this.weight = Parameter.fromInit(() => {
      const w = normalInit([numEmbeddings, embeddingDim], 0, 1, options.generator);
      if (padding === undefined) return w;
      // where, not a product: torch fills the row with +0, and -x·0 would give -0.
      const row = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d([padding], 'int32'), numEmbeddings), 'bool'), [numEmbeddings, 1]);
      return tf.where(tf.broadcastTo(row, [numEmbeddings, embeddingDim]), tf.zerosLike(w), w);
    }, { nameHint: 'embedding.weight' });
  }

  /**
   * Integer indices of any shape → embeddings of shape [...indices.shape, embeddingDim]. As in torch, the padding row
   * gets no gradient (it is looked up like any other row).
   */
  forward(indices: tf.Tensor): tf.Tensor {
    if (indices.dtype !== 'int32') throw new ModuleError(`Embedding: indices must be int32, got ${indices.dtype}`);
    return tf.tidy(() => {
      const flat = tf.reshape(indices, [-1]);
      const rows = this.paddingIdx === undefined ? tf.gather(this.weight.variable, flat) : this.lookupSkippingPadding(flat, this.paddingIdx);
      return tf.reshape(rows, [...indices.shape, this.embeddingDim]);
    });
  }

  private lookupSkippingPadding(flat: tf.Tensor, paddingIdx: number): tf.Tensor {
    const n = this.numEmbeddings;
    const ids = flat as tf.Tensor1D;
    const lookup = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.gather(inputs[0] as tf.Tensor, ids),
      gradFunc: (dy: tf.Tensor) => {
        const g = tf.unsortedSegmentSum(dy, ids, n);
        const isPadding = tf.reshape(tf.equal(tf.range(0, n, 1, 'int32'), paddingIdx), [n, 1]);
        return tf.where(tf.broadcastTo(isPadding, g.shape), tf.zerosLike(g), g);
      },
    }));
    return lookup(this.weight.variable);
  }
}
