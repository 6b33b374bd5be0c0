/** torch's AdamW: Adam with decoupled weight decay (θ ← θ·(1 − lr·weightDecay) before the update), default 1e-2. */
import { stateful } from '../../state/index.js';
import { checkedState } from '../rng/checked-state.js';
import { checkOptimizerState } from './optimizer-check.js';
import { Adam } from './adam.js';
import { AdamWState } from './adamw.state.generated.js';

@checkedState(checkOptimizerState)
@stateful(AdamWState)
export class AdamW extends Adam {
  protected override defaultWeightDecay(): number {
    return 1e-2;
  }

  protected override decoupled(): boolean {
    return true;
  }
}
