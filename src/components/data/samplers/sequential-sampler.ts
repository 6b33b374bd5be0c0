import { stateful } from '../../../state/index.js';
import { checkEpoch, Sampler, type Sized, sizeOf } from './sampler.js';
import { SequentialSamplerState } from './sequential-sampler.state.generated.js';

/** 0, 1, …, n-1 in every epoch. Its state is empty: the order depends on nothing. */
@stateful(SequentialSamplerState)
export class SequentialSampler extends Sampler {
  private readonly size: number;

  constructor(source: Sized) {
    super();
    this.size = sizeOf(source, 'SequentialSampler');
  }

  get length(): number {
    return this.size;
  }

  indices(epoch: number): Int32Array {
    checkEpoch(epoch, 'SequentialSampler');
    const out = new Int32Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = i;
    return out;
  }
}
