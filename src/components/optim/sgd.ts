/**
 * torch's SGD as a class: param groups with `lr`, `momentum`, `dampening`, `nesterov`, `weightDecay`, `maximize`, and
 * per-parameter state keyed by parameter name, `state['fc1.weight'] = { momentumBuffer }` (null until the first step
 * with momentum, as torch's `momentum_buffer` is None). The update is {@link sgdStep}.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { persist, stateful } from '../../state/index.js';
import { checkedState } from '../rng/checked-state.js';
import { checkOptimizerState } from './optimizer-check.js';
import { Buffer } from '../nn/parameter.js';
import { checkSgdOptions, sgdStep } from './functional/sgd.js';
import { Optimizer, OptimizerError, type OptimizerParams, type ParamGroup } from './optimizer.js';
import { SGDState } from './sgd.state.generated.js';

export interface SGDOptions {
  /** Required, as in torch (for every group: in the defaults or in the group). */
  lr?: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
  maximize?: boolean;
}

export interface SGDParamGroup extends ParamGroup {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  maximize: boolean;
}

export interface SGDParamState {
  momentumBuffer: Buffer | null;
}

@checkedState(checkOptimizerState)
@stateful(SGDState)
export class SGD extends Optimizer {
  @persist() paramGroups: SGDParamGroup[];
  @persist() state: Record<string, SGDParamState> = {};

  constructor(params: OptimizerParams<SGDOptions>, options: SGDOptions = {}) {
    super();
    const defaults: Required<Omit<SGDOptions, 'lr'>> & { lr?: number } = {
      momentum: 0,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      maximize: false,
      ...options,
    };
    this.paramGroups = this.buildGroups(params, defaults, (names, o, i) => {
      if (o.lr === undefined) throw new OptimizerError(`SGD: param group ${i} has no lr; pass { lr } in the options or in the group`);
      const group: SGDParamGroup = { params: names, lr: o.lr, momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov, weightDecay: o.weightDecay, maximize: o.maximize };
      checkSgdOptions(group);
      return group;
    });
  }

  protected updateParameter(name: string, param: tf.Variable, grad: tf.Tensor, group: SGDParamGroup): void {
    const entry = (this.state[name] ??= { momentumBuffer: null });
    const functional = { momentumBuffer: entry.momentumBuffer?.variable ?? null };
    sgdStep(param, grad, functional, group);
    if (entry.momentumBuffer === null && functional.momentumBuffer !== null) entry.momentumBuffer = Buffer.adopt(functional.momentumBuffer);
  }

  dispose(): void {
    for (const entry of Object.values(this.state)) entry.momentumBuffer?.dispose();
    this.state = {};
  }
}
