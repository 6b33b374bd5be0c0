/**
 * A module's tensors: {@link Parameter} (what optimizers train) and {@link Buffer} (state that is not trained, such
 * as running statistics). Each wraps a tfjs `Variable`. tfjs variable names are global to the process and must be
 * unique, so a variable's name is an opaque `kindling/<hint>_<n>`; the name users see (`fc1.weight`) comes from where
 * the tensor sits in the module tree (`module.namedParameters()`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeValue } from '../../state/errors.js';
import {
  INVALID,
  type Invalid,
  isTensor,
  registerValueKind,
  sameShape,
  type StateIssue,
  type Tensor,
  tensorSignature,
  VALUE_KIND,
  type ValueKind,
  type ValueKindBrand,
} from '../../state/index.js';
import { fromTfTensor, isEngineDType, toTfTensor } from '../engine/convert.js';
import { ModuleError } from './errors.js';

let created = 0;

/** Marks a Buffer constructed around an existing variable (module-private: only Buffer.adopt passes it). */
const ADOPT: unique symbol = Symbol('adopt');

/** A tfjs variable name no live variable has (another copy of kindling in the process counts from 1 too). */
function uniqueName(hint: string): string {
  const base = `kindling/${hint.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const taken = tf.engine().registeredVariables;
  let name: string;
  do {
    created += 1;
    name = `${base}_${created}`;
  } while (Object.hasOwn(taken, name));
  return name;
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
export class Parameter extends ModuleTensor implements ValueKindBrand<'kindling.Parameter'> {
  declare readonly [VALUE_KIND]?: 'kindling.Parameter';

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
export class Buffer extends ModuleTensor implements ValueKindBrand<'kindling.Buffer'> {
  declare readonly [VALUE_KIND]?: 'kindling.Buffer';

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

// ----- value kinds: how the state layer saves and loads parameters and buffers -----

function checkedTensor(state: unknown, current: ModuleTensor | undefined, path: string, report: (issue: StateIssue) => void, what: string): Tensor | Invalid {
  const expected = current === undefined ? `${what} (float32 tensor)` : current.describe();
  if (!isTensor(state)) {
    report({ path, kind: 'type', expected, actual: describeValue(state) });
    return INVALID;
  }
  if (current !== undefined ? state.dtype !== current.dtype || !sameShape(state.shape, current.shape) : !isEngineDType(state.dtype)) {
    report({ path, kind: 'type', expected, actual: tensorSignature(state) });
    return INVALID;
  }
  return state;
}

function assignFrom(target: ModuleTensor, t: Tensor): void {
  const value = toTfTensor(t);
  target.variable.assign(value);
  value.dispose();
}

/** `kindling.Parameter`: saved as a Tensor; loaded in place (assign) into the live parameter, whose dtype and shape it must have. */
export const PARAMETER_KIND: ValueKind<Parameter> = {
  name: 'kindling.Parameter',
  expected: 'Parameter (float32 tensor)',
  isValue: (value): value is Parameter => value instanceof Parameter,
  save: (p) => fromTfTensor(p.variable, 'parameter'),
  validate(state, current, path, report) {
    if (current === undefined) {
      report({ path, kind: 'type', expected: 'a live Parameter to load into (a load never creates parameters: build the module first)', actual: describeValue(state) });
      return INVALID;
    }
    return checkedTensor(state, current, path, report, 'Parameter');
  },
  commit(t, current) {
    assignFrom(current!, t);
    return current!;
  },
};

/** `kindling.Buffer`: like a parameter, but a load may create one (optimizer state, which torch creates lazily). */
export const BUFFER_KIND: ValueKind<Buffer> = {
  name: 'kindling.Buffer',
  expected: 'Buffer (float32 tensor)',
  isValue: (value): value is Buffer => value instanceof Buffer,
  save: (b) => fromTfTensor(b.variable, 'buffer'),
  validate: (state, current, path, report) => checkedTensor(state, current, path, report, 'Buffer'),
  commit(t, current) {
    if (current !== undefined && !current.isDisposed) {
      assignFrom(current, t);
      return current;
    }
    const value = toTfTensor(t);
    const created = new Buffer(value);
    value.dispose();
    return created;
  },
};

registerValueKind(PARAMETER_KIND);
registerValueKind(BUFFER_KIND);
