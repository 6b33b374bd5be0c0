/**
 * A module's tensors: {@link Parameter} (what optimizers train) and {@link Buffer} (state that is not trained, such
 * as running statistics). Each wraps a tfjs `Variable`. tfjs variable names are global to the process and must be
 * unique, so a variable's name is an opaque `kindling/<hint>_<n>`; the name users see (`fc1.weight`) comes from where
 * the tensor sits in the module tree (`module.namedParameters()`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ModuleError } from './errors.js';

let created = 0;

/** Marks a Buffer constructed around an existing variable (module-private: only Buffer.adopt passes it). */
const ADOPT: unique symbol = Symbol('adopt');

function uniqueName(hint: string): string {
  created += 1;
  return `kindling/${hint.replace(/[^A-Za-z0-9_.-]/g, '_')}_${created}`;
}

/** `float32[2,3]`, the way shapes appear in kindling's messages. */
export function describeShape(dtype: string, shape: readonly number[]): string {
  return `${dtype}[${shape.join(',')}]`;
}

export interface ModuleTensorOptions {
  /** A readable part of the tfjs variable name (the layer and role, e.g. `linear.weight`); the name stays unique. */
  readonly nameHint?: string;
}

/** What Parameter and Buffer share: one tfjs variable, replaced only by `assign` (so references to it stay valid). */
abstract class ModuleTensor {
  /** The tfjs variable. Update it with {@link assign}, never by replacing it. */
  readonly variable: tf.Variable;

  protected constructor(value: tf.Tensor | tf.Variable, trainable: boolean, options: ModuleTensorOptions, adopt = false) {
    this.variable = adopt ? (value as tf.Variable) : tf.variable(value, trainable, uniqueName(options.nameHint ?? this.kindName()));
  }

  protected abstract kindName(): string;

  get shape(): number[] {
    return this.variable.shape;
  }

  get dtype(): tf.DataType {
    return this.variable.dtype;
  }

  get size(): number {
    return this.variable.size;
  }

  /** `float32[2,3]`. */
  describe(): string {
    return describeShape(this.dtype, this.shape);
  }

  /**
   * Writes new values into the variable (tfjs `assign`, which keeps the variable's identity). Throws
   * {@link ModuleError} when the dtype or shape differs, naming `what` and both shapes.
   */
  assign(value: tf.Tensor, what = this.kindName()): void {
    const same = value.dtype === this.dtype && value.shape.length === this.shape.length && value.shape.every((d, i) => d === this.shape[i]);
    if (!same) throw new ModuleError(`${what}: expected ${this.describe()}, got ${describeShape(value.dtype, value.shape)}`);
    this.variable.assign(value);
  }

  /** Releases the variable's memory; the tensor must not be used afterwards. */
  dispose(): void {
    this.variable.dispose();
  }

  get isDisposed(): boolean {
    return this.variable.isDisposed;
  }
}

/**
 * A trainable tensor of a module (torch's `nn.Parameter`). `trainable` is the tfjs variable's flag (torch's
 * `requires_grad`): `module.freeze()` clears it, and only trainable parameters get gradients. The constructor copies
 * `value` into a new variable; the caller still owns `value`.
 */
export class Parameter extends ModuleTensor {
  constructor(value: tf.Tensor, options: ModuleTensorOptions & { readonly trainable?: boolean } = {}) {
    super(value, options.trainable ?? true, options);
  }

  /** A parameter holding the tensor `init` makes; the tensor (and everything `init` allocates) is released. */
  static fromInit(init: () => tf.Tensor, options: ModuleTensorOptions & { readonly trainable?: boolean } = {}): Parameter {
    const value = tf.tidy(init);
    try {
      return new Parameter(value, options);
    } finally {
      value.dispose();
    }
  }

  protected kindName(): string {
    return 'parameter';
  }

  get trainable(): boolean {
    return this.variable.trainable;
  }

  set trainable(value: boolean) {
    this.variable.trainable = value;
  }
}

/** A tensor of a module that is state but not trained (torch's registered buffers); never gets gradients. */
export class Buffer extends ModuleTensor {
  constructor(value: tf.Tensor, options: ModuleTensorOptions | typeof ADOPT = {}) {
    super(value, false, options === ADOPT ? {} : options, options === ADOPT);
  }

  /** A buffer that takes ownership of an existing non-trainable variable (no copy). */
  static adopt(variable: tf.Variable): Buffer {
    if (variable.trainable) throw new ModuleError(`Buffer.adopt: variable ${variable.name} is trainable; a buffer is not trained`);
    return new Buffer(variable, ADOPT);
  }

  protected kindName(): string {
    return 'buffer';
  }
}
