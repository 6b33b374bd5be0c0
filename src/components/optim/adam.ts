/**
 * torch's Adam as a class: param groups with `lr`, `betas`, `eps`, `weightDecay`, `amsgrad`, `maximize`, and
 * per-parameter state keyed by parameter name, `state['fc1.weight'] = { step, expAvg, expAvgSq }` (plus
 * `maxExpAvgSq` with amsgrad), created on a parameter's first step as torch does. The update is {@link adamStep};
 * {@link AdamW} differs in the decoupled weight decay and its default (1e-2).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../state/index.js';
import { checkedState } from '../rng/checked-state.js';
import { checkOptimizerState } from './optimizer-check.js';
import { Buffer } from '../nn/parameter.js';
import { ADAM_DEFAULTS, type AdamOptions, adamStep, adamwStep, checkAdamOptions, initAdamMoments } from './functional/adam.js';
import { Optimizer, type OptimizerParams, type ParamGroup } from './optimizer.js';
import { AdamState } from './adam.state.generated.js';

export interface AdamParamGroup extends ParamGroup {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamParamState {
  /** How many updates this parameter has had (torch's `step`). */
  step: number;
  expAvg: Buffer;
  expAvgSq: Buffer;
  /** With amsgrad: the running maximum of `expAvgSq`. */
  maxExpAvgSq?: Buffer;
}

@checkedState(checkOptimizerState)
@stateful(AdamState)
export class Adam extends Optimizer {
  @persist() paramGroups: AdamParamGroup[];
  @persist() state: Record<string, AdamParamState> = {};

  constructor(params: OptimizerParams<AdamOptions>, options: AdamOptions = {}) {
    super();
    const name = this.constructor.name;
    const defaults: Required<AdamOptions> = { ...ADAM_DEFAULTS, weightDecay: this.defaultWeightDecay(), ...options };
    this.paramGroups = this.buildGroups(params, defaults, (names, o) => {
      checkAdamOptions(o, name);
      return { params: names, lr: o.lr, betas: [o.betas[0], o.betas[1]], eps: o.eps, weightDecay: o.weightDecay, amsgrad: o.amsgrad, maximize: o.maximize };
    });
  }

  /** torch's default weight decay: 0 for Adam (L2 added to the gradient), 1e-2 for AdamW (decoupled). */
  protected defaultWeightDecay(): number {
    return 0;
  }

  /** Whether weight decay is decoupled from the gradient (AdamW). */
  protected decoupled(): boolean {
    return false;
  }

  protected updateParameter(name: string, param: tf.Variable, grad: tf.Tensor, group: AdamParamGroup): void {
    let entry = this.state[name];
    if (entry === undefined) {
      const moments = initAdamMoments(param, group.amsgrad);
      entry = { step: 0, expAvg: Buffer.adopt(moments.expAvg), expAvgSq: Buffer.adopt(moments.expAvgSq) };
      if (moments.maxExpAvgSq !== undefined) entry.maxExpAvgSq = Buffer.adopt(moments.maxExpAvgSq);
      this.state[name] = entry;
    }
    entry.step += 1;
    const moments = { expAvg: entry.expAvg.variable, expAvgSq: entry.expAvgSq.variable, ...(entry.maxExpAvgSq ? { maxExpAvgSq: entry.maxExpAvgSq.variable } : {}) };
    (this.decoupled() ? adamwStep : adamStep)(param, grad, moments, entry.step, group);
  }

  dispose(): void {
    for (const entry of Object.values(this.state)) {
      entry.expAvg.dispose();
      entry.expAvgSq.dispose();
      entry.maxExpAvgSq?.dispose();
    }
    this.state = {};
  }
}
