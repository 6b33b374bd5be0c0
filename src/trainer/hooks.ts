/**
 * Calls hooks on the callbacks and the module, in Lightning's order: for each event the callbacks first (in the
 * trainer's order: checkpoint callbacks last), then the module. `onTrainEpochEnd` is the exception, as in Lightning:
 * monitoring and checkpoint callbacks see it after the module, so they find what the module logged in its own hook.
 * A hook that returns a promise is awaited by the trainer at the end of the batch, validation or epoch it ran in.
 */
import type { Callback } from '../components/callbacks/callback.js';
import type { TrainerModule, TrainerView } from '../components/callbacks/trainer-view.js';
import type { TrainableModule } from './module-api.js';

type HookName = {
  [K in keyof Callback]: Callback[K] extends (trainer: TrainerView, module: TrainerModule, ...rest: never[]) => void ? K : never;
}[keyof Callback];

/** The arguments of a callback hook after `(trainer, module)`. */
type HookArgs<K extends HookName> = Callback[K] extends (trainer: TrainerView, module: TrainerModule, ...rest: infer R) => void ? R : never;

/** Module hooks share the callbacks' names, without the trainer and module arguments. */
type ModuleHookName = Extract<HookName, keyof TrainableModule>;

export class HookDispatcher {
  constructor(
    private readonly trainer: TrainerView,
    private readonly module: TrainableModule,
    private readonly callbacks: readonly Callback[],
    /** Receives what an asynchronous hook returns; the trainer awaits it before the loop moves on (see trainer.flushSaves). */
    private readonly track: (pending: Promise<unknown>) => void = () => {},
  ) {}

  /** Every callback's hook `name`, in order. */
  callbacksHook<K extends HookName>(name: K, ...args: HookArgs<K>): void {
    for (const callback of this.callbacks) this.callOne(callback, name, args);
  }

  /** The module's hook `name`. */
  moduleHook<K extends ModuleHookName>(name: K, ...args: HookArgs<K>): unknown {
    const result = (this.module[name] as (...a: unknown[]) => unknown).apply(this.module, args);
    if (result instanceof Promise) this.track(result);
    return result;
  }

  /** The callbacks' hook, then the module's. */
  both<K extends ModuleHookName>(name: K, ...args: HookArgs<K>): void {
    this.callbacksHook(name, ...args);
    this.moduleHook(name, ...args);
  }

  /** `onTrainEpochEnd`: ordinary callbacks, the module, `afterModule`, then monitoring and checkpoint callbacks. */
  trainEpochEnd(afterModule: () => void): void {
    for (const callback of this.callbacks) if (callback.hookOrder === 'default') this.callOne(callback, 'onTrainEpochEnd', []);
    this.moduleHook('onTrainEpochEnd');
    afterModule();
    for (const callback of this.callbacks) if (callback.hookOrder !== 'default') this.callOne(callback, 'onTrainEpochEnd', []);
  }

  private callOne(callback: Callback, name: HookName, args: readonly unknown[]): void {
    const result = (callback[name] as (...a: unknown[]) => unknown).call(callback, this.trainer, this.module, ...args);
    // A hook may be async (a callback that writes files): the loop waits for it at the end of the batch,
    // validation or epoch, before anything changes the state it is saving.
    if (result instanceof Promise) this.track(result);
  }
}

/** The trainer's callback order: as given, with checkpoint callbacks moved to the end (Lightning's `_reorder_callbacks`). */
export function orderCallbacks(callbacks: readonly Callback[]): Callback[] {
  return [...callbacks.filter((c) => c.hookOrder !== 'checkpoint'), ...callbacks.filter((c) => c.hookOrder === 'checkpoint')];
}
