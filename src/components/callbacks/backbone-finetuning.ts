/**
 * Lightning's BackboneFinetuning: the module's `backbone` stays frozen until `unfreezeBackboneAtEpoch`; then it
 * trains with a learning rate that starts at `backboneInitialRatioLr` × the first param group's lr (or
 * `backboneInitialLr`) and grows by `lambdaFunc(epoch + 1)` every epoch, never above the first group's lr when
 * `shouldAlign`.
 *
 * kindling's difference: Lightning adds the backbone's parameters to the optimizer as a new param group when it
 * unfreezes them; a kindling optimizer's param groups are fixed and saved by parameter name, so **the backbone's
 * parameters must be their own param group from the start** (`new AdamW([{ params: head }, { params: backbone }])`).
 * The callback finds that group by its parameter names (`backbone.*`), sets its lr, and freezes the parameters
 * (`trainable = false`: no gradients, so the optimizer skips them) until the epoch comes. A resumed fit freezes or
 * unfreezes by the restored epoch, and the group's lr comes back with the optimizer's state.
 *
 * State: `previousBackboneLr`, and `internalOptimizerMetadata`: each optimizer's param groups as the callback last
 * set them, with parameters by name and their lr (Lightning's metadata, by name rather than by index). A load checks
 * that the saved groups list the same parameters as the live optimizer's.
 */
import { persist, type StateIssue, stateful } from '../../state/index.js';
import type { Module } from '../nn/module.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkedState } from '../rng/checked-state.js';
import { BackboneFinetuningState } from './backbone-finetuning.state.generated.js';
import { Callback } from './callback.js';
import { CallbackConfigError } from './errors.js';
import type { TrainerModule, TrainerView } from './trainer-view.js';

/** Lightning's default `lambda_func`: the backbone lr doubles every epoch after unfreezing. */
export function multiplicative(_epoch: number): number {
  return 2.0;
}

export interface BackboneFinetuningOptions {
  /** The epoch at which the backbone starts training (default 10). */
  readonly unfreezeBackboneAtEpoch?: number;
  /** The factor applied to the backbone lr at each later epoch, given `epoch + 1` (default ×2). */
  readonly lambdaFunc?: (epoch: number) => number;
  /** The backbone's first lr as a fraction of the first param group's (default 0.1). */
  readonly backboneInitialRatioLr?: number;
  /** The backbone's first lr, overriding the ratio. */
  readonly backboneInitialLr?: number;
  /** Never let the backbone lr exceed the first group's (default true). */
  readonly shouldAlign?: boolean;
  /** Decimal places the lrs are rounded to (default 12, as Lightning). */
  readonly rounding?: number;
  /** Print the lrs when they change (default false). */
  readonly verbose?: boolean;
  /** The module's field holding the backbone (default `'backbone'`). */
  readonly backboneField?: string;
}

/** A param group as the callback records it: its parameters by name and its lr. */
export type ParamGroupRecord = { params: string[]; lr: number };

@checkedState(checkMetadata)
@stateful(BackboneFinetuningState)
export class BackboneFinetuning extends Callback {
  /** The backbone's lr at the last epoch (null before it unfroze). */
  @persist() previousBackboneLr: number | null = null;
  /** By optimizer name: its param groups as last set, parameters by name. */
  @persist() internalOptimizerMetadata: Record<string, ParamGroupRecord[]> = {};

  readonly unfreezeBackboneAtEpoch: number;
  readonly lambdaFunc: (epoch: number) => number;
  readonly backboneInitialRatioLr: number;
  readonly backboneInitialLr: number | undefined;
  readonly shouldAlign: boolean;
  readonly rounding: number;
  readonly verbose: boolean;
  readonly backboneField: string;
  /** The live optimizers, kept for the load check. */
  private optimizers: Readonly<Record<string, Optimizer>> = {};

  constructor(options: BackboneFinetuningOptions = {}) {
    super();
    this.unfreezeBackboneAtEpoch = options.unfreezeBackboneAtEpoch ?? 10;
    if (!Number.isInteger(this.unfreezeBackboneAtEpoch) || this.unfreezeBackboneAtEpoch < 0) {
      throw new CallbackConfigError(`BackboneFinetuning: unfreezeBackboneAtEpoch must be an integer ≥ 0, got ${this.unfreezeBackboneAtEpoch}`);
    }
    this.lambdaFunc = options.lambdaFunc ?? multiplicative;
    this.backboneInitialRatioLr = options.backboneInitialRatioLr ?? 0.1;
    this.backboneInitialLr = options.backboneInitialLr;
    this.shouldAlign = options.shouldAlign ?? true;
    this.rounding = options.rounding ?? 12;
    this.verbose = options.verbose ?? false;
    this.backboneField = options.backboneField ?? 'backbone';
  }

  /** The backbone's parameter names (`backbone.…`); throws when the module has no backbone layer. */
  backboneNames(module: Module): string[] {
    const backbone = (module as unknown as Record<string, unknown>)[this.backboneField];
    if (backbone === null || typeof backbone !== 'object' || typeof (backbone as Partial<Module>).namedParameters !== 'function') {
      throw new CallbackConfigError(`BackboneFinetuning: the module has no layer in its '${this.backboneField}' field; give it one, or set backboneField`);
    }
    const prefix = `${this.backboneField}.`;
    return module.namedParameters().map(([name]) => name).filter((name) => name.startsWith(prefix));
  }

  /** Freezes the backbone before the unfreeze epoch (or unfreezes it in a run resumed past it). */
  override onFitStart(trainer: TrainerView, module: TrainerModule): void {
    this.optimizers = trainer.optimizers;
    const names = this.backboneNames(module);
    if (this.backboneGroups(trainer.optimizers, names).length === 0) {
      throw new CallbackConfigError(
        `BackboneFinetuning: no optimizer has a param group holding exactly the backbone's parameters (${names.join(', ')}); ` +
          'give the backbone its own group, e.g. new AdamW([{ params: head }, { params: backbone }], { lr })',
      );
    }
    this.setTrainable(module, names, trainer.currentEpoch >= this.unfreezeBackboneAtEpoch);
  }

  /** Lightning's `finetune_function`, for every optimizer with a backbone group. */
  override onTrainEpochStart(trainer: TrainerView, module: TrainerModule): void {
    const names = this.backboneNames(module);
    const epoch = trainer.currentEpoch;
    for (const [optimizerName, optimizer, group] of this.backboneGroups(trainer.optimizers, names)) {
      const currentLr = optimizer.paramGroups[0]!.lr;
      if (epoch === this.unfreezeBackboneAtEpoch) {
        const initial = this.round(this.backboneInitialLr ?? currentLr * this.backboneInitialRatioLr);
        this.previousBackboneLr = initial;
        group.lr = initial;
        this.setTrainable(module, names, true);
        if (this.verbose) console.error(`[BackboneFinetuning] Current lr: ${this.round(currentLr)}, Backbone lr: ${initial}`);
      } else if (epoch > this.unfreezeBackboneAtEpoch && this.previousBackboneLr !== null) {
        let next = this.round(this.lambdaFunc(epoch + 1) * this.previousBackboneLr);
        if (this.shouldAlign && next > currentLr) next = currentLr;
        group.lr = next;
        this.previousBackboneLr = next;
        if (this.verbose) console.error(`[BackboneFinetuning] Current lr: ${this.round(currentLr)}, Backbone lr: ${next}`);
      }
      this.internalOptimizerMetadata = {
        ...this.internalOptimizerMetadata,
        [optimizerName]: optimizer.paramGroups.map((g) => ({ params: [...g.params], lr: g.lr })),
      };
    }
  }

  private backboneGroups(optimizers: Readonly<Record<string, Optimizer>>, names: readonly string[]): [string, Optimizer, Optimizer['paramGroups'][number]][] {
    const wanted = new Set(names);
    const found: [string, Optimizer, Optimizer['paramGroups'][number]][] = [];
    for (const [name, optimizer] of Object.entries(optimizers)) {
      const group = optimizer.paramGroups.find((g) => g.params.length === wanted.size && g.params.every((p) => wanted.has(p)));
      if (group !== undefined && optimizer.paramGroups[0] !== group) found.push([name, optimizer, group]);
    }
    return found;
  }

  private setTrainable(module: Module, names: readonly string[], trainable: boolean): void {
    const wanted = new Set(names);
    for (const [name, parameter] of module.namedParameters()) if (wanted.has(name)) parameter.trainable = trainable;
  }

  /** Python's `round(x, rounding)` for the lrs. */
  private round(value: number): number {
    return Number(value.toFixed(this.rounding));
  }
}

/** The saved groups must list the parameters the live optimizer's groups list (when the optimizers are known). */
function checkMetadata(self: BackboneFinetuning, state: Partial<BackboneFinetuningState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  const live = (self as unknown as { optimizers: Readonly<Record<string, Optimizer>> }).optimizers;
  for (const [name, groups] of Object.entries(state.internalOptimizerMetadata ?? {})) {
    const optimizer = live[name];
    if (optimizer === undefined) continue;
    const expected = optimizer.paramGroups.map((g) => g.params.join(','));
    const actual = groups.map((g) => g.params.join(','));
    if (expected.length !== actual.length || expected.some((e, i) => e !== actual[i])) {
      issues.push({
        path: `${path}.internalOptimizerMetadata.${name}`,
        kind: 'type',
        expected: `the param groups of optimizer '${name}': ${expected.map((e) => `[${e}]`).join(' ')}`,
        actual: actual.map((a) => `[${a}]`).join(' '),
      });
    }
  }
  return issues;
}
