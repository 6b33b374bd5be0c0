/**
 * The base of kindling's optimizer classes (torch.optim's `Optimizer`, in camelCase). An optimizer is built from a
 * module's named parameters, `new AdamW(model.namedParameters(), { lr })`, or from groups
 * `[{ params: [...], lr }, …]` whose options override the defaults; `step(grads)` applies one update from gradients
 * keyed by parameter name (what `valueAndGrads` returns). A parameter without a gradient is skipped, as torch skips
 * a parameter whose `grad` is None.
 *
 * The state of a subclass is generated: its `paramGroups` (each listing its parameters by name, with its options)
 * and its per-parameter state keyed by parameter name (`state['fc1.weight'] = { step, expAvg, expAvgSq }`), never by
 * position.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { stateful } from '../../state/index.js';
import type { Parameter } from '../nn/parameter.js';
import type { ParamGroupsHolder, SchedulableParamGroup } from '../schedulers/param-groups.js';
import type { GradientMap } from './functional/gradient-map.js';
import { OptimizerState } from './optimizer.state.generated.js';

/** Named parameters, as `module.namedParameters()` returns them. */
export type NamedParameters = readonly (readonly [string, Parameter])[];

/** A param group as given to a constructor: its parameters and the options in which it differs from the defaults. */
export type ParamGroupInput<Options> = { readonly params: NamedParameters } & Partial<Options>;

/** What an optimizer is built from: named parameters (one group) or param groups. */
export type OptimizerParams<Options> = NamedParameters | readonly ParamGroupInput<Options>[];

/** A param group as the optimizer keeps it: its parameters by name and its options (all filled in). */
export interface ParamGroup extends SchedulableParamGroup {
  params: string[];
}

/** Raised for optimizer arguments torch rejects, and for parameters that cannot be optimized as given. */
export class OptimizerError extends Error {
  override readonly name = 'OptimizerError';
}

function isGroupList<Options>(params: OptimizerParams<Options>): params is readonly ParamGroupInput<Options>[] {
  return params.length > 0 && !Array.isArray(params[0]);
}

@stateful(OptimizerState)
export abstract class Optimizer implements ParamGroupsHolder {
  abstract readonly paramGroups: ParamGroup[];
  /** The live parameters by name; not state (the module owns them). */
  readonly #parameters = new Map<string, Parameter>();

  /**
   * Splits `params` into groups with every option filled in (group options over `defaults`), checking that each
   * parameter has one name and sits in one group. Subclass constructors assign the result to `paramGroups`.
   */
  protected buildGroups<Filled extends object, G extends ParamGroup>(
    params: OptimizerParams<Partial<Filled>>,
    defaults: Filled,
    makeGroup: (names: string[], options: Filled, index: number) => G,
  ): G[] {
    const optimizer = this.constructor.name;
    const inputs: readonly ParamGroupInput<Partial<Filled>>[] = isGroupList(params) ? params : [{ params: params as NamedParameters } as ParamGroupInput<Partial<Filled>>];
    if (inputs.length === 0 || inputs.every((g) => g.params.length === 0)) throw new OptimizerError(`${optimizer} got an empty parameter list; pass model.namedParameters()`);
    return inputs.map((input, i) => {
      const { params: named, ...overrides } = input;
      const names: string[] = [];
      for (const entry of named) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
          throw new OptimizerError(`${optimizer}: param group ${i} must list [name, parameter] pairs, as module.namedParameters() returns`);
        }
        const [name, parameter] = entry;
        const earlier = this.#parameters.get(name);
        if (earlier !== undefined) {
          throw new OptimizerError(
            earlier === parameter
              ? `${optimizer}: parameter ${name} appears in more than one param group; list each parameter once`
              : `${optimizer}: two different parameters are named ${name}; give each parameter a unique name`,
          );
        }
        this.#parameters.set(name, parameter);
        names.push(name);
      }
      return makeGroup(names, { ...defaults, ...(overrides as Partial<Filled>) } as Filled, i);
    });
  }

  /** The live parameter named `name`, or undefined when this optimizer does not hold one. */
  parameter(name: string): Parameter | undefined {
    return this.#parameters.get(name);
  }

  /** The names of every parameter this optimizer updates, group by group. */
  parameterNames(): string[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * One update of every parameter that has a gradient in `grads` (keyed by parameter name). Gradients of
   * parameters this optimizer does not hold are ignored (another optimizer may hold them). The gradients are not
   * disposed.
   */
  step(grads: GradientMap): void {
    this.paramGroups.forEach((group, i) => {
      for (const name of group.params) {
        const grad = grads[name];
        if (grad === undefined) continue;
        const parameter = this.#parameters.get(name)!;
        const same = grad.shape.length === parameter.shape.length && grad.shape.every((d, k) => d === parameter.shape[k]);
        if (!same) throw new OptimizerError(`${this.constructor.name}.step: the gradient of ${name} is [${grad.shape.join(',')}], the parameter [${parameter.shape.join(',')}]`);
        this.updateParameter(name, parameter.variable, grad, group, i);
      }
    });
  }

  /** kindling's gradients live in the maps `valueAndGrads` returns, not on parameters: there is nothing to zero. */
  zeroGrad(): void {}

  /** Applies this optimizer's rule to one parameter (the subclass's per-parameter state is keyed by `name`). */
  protected abstract updateParameter(name: string, param: tf.Variable, grad: tf.Tensor, group: ParamGroup, groupIndex: number): void;

  /** Releases the optimizer's state tensors (not the parameters). */
  abstract dispose(): void;
}
