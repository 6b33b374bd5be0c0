/**
 * The base class of every callback. A callback is a component: subclasses declare their state with `@persist` fields
 * and `@stateful(XState)` like any other, and the trainer saves each callback's state in the checkpoint's `callbacks`
 * section under its {@link Callback.stateKey}. The training hooks (`onTrainStart`, `onValidationEnd`, …) come with
 * the Trainer; until then a callback is its state and its key.
 */
import { stateful } from '../../state/decorators.js';
import { CallbackState } from './callback.state.generated.js';

/** A value of {@link Callback.stateIdentity}: constructor arguments that tell two instances of a class apart. */
export type StateIdentityValue = string | number | boolean | null;

/** The arguments that define which saved state belongs to a callback (see {@link Callback.stateIdentity}). */
export type StateIdentity = Readonly<Record<string, StateIdentityValue>>;

@stateful(CallbackState)
export abstract class Callback {
  /**
   * Where this callback's state lives in a checkpoint: the class name, followed by the arguments of
   * {@link stateIdentity} as JSON when there are any, e.g. `EarlyStopping{"monitor":"val_loss","mode":"min"}`
   * (Lightning's `state_key` with JSON in place of Python's repr). Two callbacks of one class with the same key would
   * overwrite each other's state; the trainer refuses them.
   */
  get stateKey(): string {
    const identity = this.stateIdentity();
    const entries = Object.entries(identity);
    if (entries.length === 0) return this.constructor.name;
    for (const [name, value] of entries) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new TypeError(`${this.constructor.name}.stateIdentity().${name} is ${value}; identity values must be finite numbers, strings, booleans or null`);
      }
    }
    return `${this.constructor.name}${JSON.stringify(identity)}`;
  }

  /**
   * The constructor arguments that must match for a saved state to be meaningful for this instance (`monitor` and
   * `mode` for early stopping), in a fixed order. Leave out what a user may change when resuming (`patience`,
   * `verbose`): changing an identity argument starts the callback from a fresh state. Default: none, so the key is the
   * class name. A subclass of a subclass extends its parent's: `{ ...super.stateIdentity(), window: this.window }`.
   */
  protected stateIdentity(): StateIdentity {
    return {};
  }
}
