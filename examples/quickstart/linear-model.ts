import { persist, stateful, type Tensor, zeros } from 'kindling';
import { LinearModelState } from './linear-model.state.generated.js';

/** y = w·x + b, fitted by plain SGD. Its parameters are tensors, as a real module's are. */
@stateful(LinearModelState)
export class LinearModel {
  @persist() weight: Tensor<'float32'>;
  @persist() bias: Tensor<'float32'> = zeros('float32', []);

  constructor(inputs: number) {
    this.weight = zeros('float32', [inputs]);
  }

  predict(x: Float32Array): number {
    let y = this.bias.data[0]!;
    for (let i = 0; i < x.length; i++) y += this.weight.data[i]! * x[i]!;
    return y;
  }

  /** One SGD step on a batch; returns the batch's mean squared error before the step. */
  step(batch: readonly { x: Float32Array; y: number }[], lr: number): number {
    const w = this.weight.data;
    const gw = new Float32Array(w.length);
    let gb = 0;
    let loss = 0;
    for (const { x, y } of batch) {
      const err = this.predict(x) - y;
      loss += err * err;
      for (let i = 0; i < w.length; i++) gw[i]! += (2 * err * x[i]!) / batch.length;
      gb += (2 * err) / batch.length;
    }
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * gw[i]!;
    this.bias.data[0] = this.bias.data[0]! - lr * gb;
    return loss / batch.length;
  }
}
