/**
 * The fixture classes as behaviour cases: how to make random instances, and typia-style spoilers. A spoiler corrupts
 * a valid state in place and returns the issue paths the load must report, in order.
 */
import type fc from 'fast-check';
import { tensor, zeros } from 'kindling';
import { put, remove, rename } from './edit.js';
import * as make from './instances.js';
import type { Flavour } from './values.js';

export type State = Record<string, unknown>;

export interface Spoiler {
  readonly name: string;
  /** Missing/unexpected-key spoilers only fail strict loads; type errors fail both. */
  readonly strictOnly?: boolean;
  spoil(state: State): string[];
}

export interface ClassCase {
  readonly name: string;
  instances(flavour: Flavour): fc.Arbitrary<object>;
  /** Whether the JSON flavour is meaningful (false when every field holds tensors, which JSON cannot carry). */
  readonly json: boolean;
  /** State keys in order, as the contract fixes it (inherited first, `name` options applied). */
  readonly keys: readonly string[];
  readonly spoilers: readonly Spoiler[];
}

const f32 = (shape: number[]) => zeros('float32', shape);

const PLACED: ClassCase = {
  name: 'Placed',
  instances: make.placed,
  json: true,
  keys: ['origin', 'target', 'path', 'anchor', 'extra'],
  spoilers: [
    { name: 'class value that is not an object', spoil: (s) => (put(s, ['origin'], 5), ['Placed.origin']) },
    { name: 'nullable class value', spoil: (s) => (put(s, ['target'], 'x'), ['Placed.target']) },
    { name: 'array of class values', spoil: (s) => (put(s, ['path'], [{ x: 1, y: 2 }, 3]), ['Placed.path[1]']) },
    { name: 'class value declared next to the component', spoil: (s) => (put(s, ['anchor'], []), ['Placed.anchor']) },
    { name: 'opaque data that is not plain', spoil: (s) => (put(s, ['extra'], new Map()), ['Placed.extra']) },
  ],
};

export const CASES: readonly ClassCase[] = [
  {
    name: 'Primitives',
    instances: make.primitives,
    json: true,
    keys: ['count', 'ratio', 'label', 'enabled', 'nothing', 'runId'],
    spoilers: [
      { name: 'string for a number', spoil: (s) => (put(s, ['count'], '1'), ['Primitives.count']) },
      {
        name: 'every problem is reported',
        spoil: (s) => (put(s, ['enabled'], 'yes'), put(s, ['label'], 5), put(s, ['nothing'], 0), [
          'Primitives.label',
          'Primitives.enabled',
          'Primitives.nothing',
        ]),
      },
      { name: 'null for a boolean', spoil: (s) => (put(s, ['enabled'], null), ['Primitives.enabled']) },
      { name: 'missing key', strictOnly: true, spoil: (s) => (remove(s, ['ratio']), ['Primitives.ratio']) },
      { name: 'unexpected key', strictOnly: true, spoil: (s) => (put(s, ['bogus'], 1), ['Primitives.bogus']) },
      { name: 'non-persisted field is not a key', strictOnly: true, spoil: (s) => (put(s, ['scratch'], 1), ['Primitives.scratch']) },
      { name: '__proto__ key is unexpected', strictOnly: true, spoil: (s) => (put(s, ['__proto__'], {}), ['Primitives.__proto__']) },
    ],
  },
  {
    name: 'Counters',
    instances: make.counters,
    json: true,
    keys: ['steps', 'epochs'],
    spoilers: [{ name: 'bigint is not a number', spoil: (s) => (put(s, ['steps'], 1n), ['Counters.steps']) }],
  },
  {
    name: 'LiteralUnions',
    instances: () => make.literalUnions(),
    json: true,
    keys: ['mode', 'direction', 'reduction', 'level', 'alwaysOn', 'mixed', 'verbosity'],
    spoilers: [
      { name: 'string outside the union', spoil: (s) => (put(s, ['mode'], 'median'), ['LiteralUnions.mode']) },
      { name: 'aliased union', spoil: (s) => (put(s, ['direction'], 'MIN'), ['LiteralUnions.direction']) },
      { name: 'union from another file', spoil: (s) => (put(s, ['reduction'], 'avg'), ['LiteralUnions.reduction']) },
      { name: 'number outside the union', spoil: (s) => (put(s, ['level'], 4), ['LiteralUnions.level']) },
      { name: 'string for a numeric literal', spoil: (s) => (put(s, ['level'], '1'), ['LiteralUnions.level']) },
      { name: 'false for true', spoil: (s) => (put(s, ['alwaysOn'], false), ['LiteralUnions.alwaysOn']) },
      { name: 'mixed union', spoil: (s) => (put(s, ['mixed'], 1), ['LiteralUnions.mixed']) },
      { name: 'literal or number', spoil: (s) => (put(s, ['verbosity'], 'loud'), ['LiteralUnions.verbosity']) },
    ],
  },
  {
    name: 'Enums',
    instances: () => make.enums(),
    json: true,
    keys: ['phase', 'precision', 'sparse', 'lastPhase', 'evalPhase'],
    spoilers: [
      { name: 'numeric enum out of range', spoil: (s) => (put(s, ['phase'], 3), ['Enums.phase']) },
      { name: 'enum member name instead of value', spoil: (s) => (put(s, ['phase'], 'Train'), ['Enums.phase']) },
      { name: 'string enum', spoil: (s) => (put(s, ['precision'], 'fp64'), ['Enums.precision']) },
      { name: 'string enum key instead of value', spoil: (s) => (put(s, ['precision'], 'Full'), ['Enums.precision']) },
      { name: 'sparse numeric enum', spoil: (s) => (put(s, ['sparse'], 2), ['Enums.sparse']) },
      { name: 'nullable enum', spoil: (s) => (put(s, ['lastPhase'], 'Test'), ['Enums.lastPhase']) },
      { name: 'subset of enum members', spoil: (s) => (put(s, ['evalPhase'], 0), ['Enums.evalPhase']) },
    ],
  },
  {
    name: 'Arrays',
    instances: make.arrays,
    json: true,
    keys: ['losses', 'tags', 'flags', 'frozen', 'grid', 'history', 'modes', 'maybeScores'],
    spoilers: [
      { name: 'bad element', spoil: (s) => (put(s, ['losses'], [1, 'a', 2, null]), ['Arrays.losses[1]', 'Arrays.losses[3]']) },
      { name: 'object for an array', spoil: (s) => (put(s, ['tags'], { 0: 'a' }), ['Arrays.tags']) },
      { name: 'readonly array', spoil: (s) => (put(s, ['frozen'], [true]), ['Arrays.frozen[0]']) },
      { name: 'nested arrays', spoil: (s) => (put(s, ['grid'], [[1], [2, 'x']]), ['Arrays.grid[1][1]']) },
      {
        name: 'array of objects: missing and unexpected properties',
        spoil: (s) => (put(s, ['history'], [{ step: 1, loss: 0.5 }, { step: 2 }]), ['Arrays.history[1].loss']),
      },
      {
        name: 'array of objects: extra property (strict)',
        strictOnly: true,
        spoil: (s) => (put(s, ['history'], [{ step: 1, loss: 0.5, lr: 1 }]), ['Arrays.history[0].lr']),
      },
      { name: 'array of literals', spoil: (s) => (put(s, ['modes'], ['min', 'avg']), ['Arrays.modes[1]']) },
      { name: 'array of nullables', spoil: (s) => (put(s, ['maybeScores'], [null, 'x']), ['Arrays.maybeScores[1]']) },
    ],
  },
  {
    name: 'Tuples',
    instances: make.tuples,
    json: true,
    keys: ['betas', 'labelled', 'named', 'withOptional', 'nested', 'empty'],
    spoilers: [
      { name: 'too short', spoil: (s) => (put(s, ['betas'], [0.9]), ['Tuples.betas']) },
      { name: 'too long', spoil: (s) => (put(s, ['named'], [1, 2, 3]), ['Tuples.named']) },
      { name: 'wrong element', spoil: (s) => (put(s, ['labelled'], [1, 1]), ['Tuples.labelled[0]']) },
      { name: 'optional element of the wrong type', spoil: (s) => (put(s, ['withOptional'], [1, 2]), ['Tuples.withOptional[1]']) },
      { name: 'nested tuple', spoil: (s) => (put(s, ['nested'], [[0, 'x'], true]), ['Tuples.nested[0][1]']) },
      { name: 'empty tuple', spoil: (s) => (put(s, ['empty'], [0]), ['Tuples.empty']) },
    ],
  },
  {
    name: 'OptionalNullable',
    instances: make.optionalNullable,
    json: true,
    keys: ['note', 'best', 'maybeBest', 'window', 'lastError', 'checkpoints', 'lastSeen'],
    spoilers: [
      { name: 'optional field of the wrong type', spoil: (s) => (put(s, ['note'], 5), ['OptionalNullable.note']) },
      { name: 'null for an optional (not nullable) field', spoil: (s) => (put(s, ['note'], null), ['OptionalNullable.note']) },
      { name: 'nullable number', spoil: (s) => (put(s, ['best'], 'x'), ['OptionalNullable.best']) },
      {
        name: 'optional object: bad and missing properties',
        spoil: (s) => (put(s, ['window'], { stride: 'x' }), ['OptionalNullable.window.size', 'OptionalNullable.window.stride']),
      },
      {
        name: 'nullable array of nullables',
        spoil: (s) => (put(s, ['checkpoints'], ['a', 1, null]), ['OptionalNullable.checkpoints[1]']),
      },
      { name: 'string | undefined', spoil: (s) => (put(s, ['lastSeen'], false), ['OptionalNullable.lastSeen']) },
    ],
  },
  {
    name: 'Records',
    instances: make.records,
    json: true,
    keys: ['metrics', 'aliases', 'perSplit', 'nested', 'optimizer', 'counts'],
    spoilers: [
      { name: 'record value', spoil: (s) => (put(s, ['metrics'], { a: 1, b: 'x' }), ['Records.metrics.b']) },
      { name: 'awkward record key', spoil: (s) => (put(s, ['metrics'], { 'a b': null }), ['Records.metrics["a b"]']) },
      { name: 'array for a record', spoil: (s) => (put(s, ['metrics'], [1]), ['Records.metrics']) },
      { name: 'index signature of arrays', spoil: (s) => (put(s, ['aliases'], { x: ['a', 2] }), ['Records.aliases.x[1]']) },
      {
        name: 'finite-key record: missing key',
        spoil: (s) => (put(s, ['perSplit'], { train: 1 }), ['Records.perSplit.val']),
      },
      {
        name: 'finite-key record: extra key',
        strictOnly: true,
        spoil: (s) => (put(s, ['perSplit'], { train: 1, val: 2, test: 3 }), ['Records.perSplit.test']),
      },
      { name: 'nested record', spoil: (s) => (put(s, ['nested'], { x: { y: 'z' } }), ['Records.nested.x.y']) },
      { name: 'object literal type', spoil: (s) => (put(s, ['optimizer', 'betas'], [1]), ['Records.optimizer.betas']) },
      { name: 'readonly index signature', spoil: (s) => (put(s, ['counts'], { k: true }), ['Records.counts.k']) },
    ],
  },
  {
    name: 'Tracker',
    instances: make.tracker,
    json: true,
    keys: ['run', 'origin', 'bounds', 'window', 'previous'],
    spoilers: [
      {
        name: 'interface from another file, nested twice',
        spoil: (s) => (put(s, ['run', 'schedule', 'decay'], 'step'), ['Tracker.run.schedule.decay']),
      },
      {
        name: 'array of aliased objects',
        spoil: (s) => (put(s, ['run', 'path'], [{ x: 1, y: 2 }, { x: 'a', y: 2 }]), ['Tracker.run.path[1].x']),
      },
      { name: 'non-exported interface', spoil: (s) => (remove(s, ['window', 'end']), ['Tracker.window.end']) },
      { name: 'generic interface', spoil: (s) => (put(s, ['bounds', 'first'], null), ['Tracker.bounds.first']) },
      {
        name: 'optional interface property',
        spoil: (s) => (put(s, ['run', 'schedule', 'note'], 3), ['Tracker.run.schedule.note']),
      },
    ],
  },
  {
    name: 'Tensors',
    instances: () => make.tensors(),
    json: false,
    keys: ['weights', 'anyDtype', 'steps', 'moments', 'buffers', 'half', 'mask'],
    spoilers: [
      { name: 'wrong dtype', spoil: (s) => (put(s, ['weights'], zeros('float64', [2, 3])), ['Tensors.weights']) },
      {
        name: 'data length does not match the shape',
        spoil: (s) => (put(s, ['weights'], { dtype: 'float32', shape: [2], data: new Float32Array(3) }), ['Tensors.weights']),
      },
      {
        name: 'typed array of the wrong class',
        spoil: (s) => (put(s, ['anyDtype'], { dtype: 'float32', shape: [1], data: new Float64Array(1) }), ['Tensors.anyDtype']),
      },
      { name: 'plain array for a tensor', spoil: (s) => (put(s, ['half'], [1, 2]), ['Tensors.half']) },
      { name: 'nullable tensor', spoil: (s) => (put(s, ['steps'], 3), ['Tensors.steps']) },
      {
        name: 'array of tensors',
        spoil: (s) => (put(s, ['moments'], [f32([1]), tensor('int32', [1], [1])]), ['Tensors.moments[1]']),
      },
      { name: 'record of tensors', spoil: (s) => (put(s, ['buffers'], { a: 5 }), ['Tensors.buffers.a']) },
      { name: 'bool tensor', spoil: (s) => (put(s, ['mask'], f32([3])), ['Tensors.mask']) },
    ],
  },
  {
    name: 'Outer',
    instances: make.outer,
    json: true,
    keys: ['name', 'middle', 'direct'],
    spoilers: [
      {
        name: 'two levels down',
        spoil: (s) => (put(s, ['middle', 'inner', 'count'], 'x'), ['Outer.middle.inner.count']),
      },
      { name: 'nested in the same file', spoil: (s) => (put(s, ['middle', 'scale'], null), ['Outer.middle.scale']) },
      { name: 'readonly nested', spoil: (s) => (put(s, ['direct', 'mode'], 'avg'), ['Outer.direct.mode']) },
      { name: 'nested state is not an object', spoil: (s) => (put(s, ['middle'], 3), ['Outer.middle']) },
      {
        name: 'problems at several levels',
        spoil: (s) => (put(s, ['name'], 1), put(s, ['direct', 'count'], 'x'), put(s, ['middle', 'inner', 'mode'], 1), [
          'Outer.name',
          'Outer.middle.inner.mode',
          'Outer.direct.count',
        ]),
      },
      {
        name: 'nested missing key',
        strictOnly: true,
        spoil: (s) => (remove(s, ['middle', 'inner', 'mode']), ['Outer.middle.inner.mode']),
      },
      {
        name: 'nested unexpected key',
        strictOnly: true,
        spoil: (s) => (put(s, ['direct', 'extra'], 1), ['Outer.direct.extra']),
      },
    ],
  },
  {
    name: 'Collections',
    instances: make.collections,
    json: true,
    keys: ['byName', 'byStep', 'seen', 'ids', 'startedAt', 'finishedAt', 'samples', 'seeds', 'stamps', 'bigSet'],
    spoilers: [
      { name: 'map value', spoil: (s) => (put(s, ['byName'], [['a', 1], ['b', 'x']]), ['Collections.byName[1][1]']) },
      { name: 'map key', spoil: (s) => (put(s, ['byStep'], [['1', []]]), ['Collections.byStep[0][0]']) },
      { name: 'object for map entries', spoil: (s) => (put(s, ['byName'], { a: 1 }), ['Collections.byName']) },
      { name: 'entry of the wrong length', spoil: (s) => (put(s, ['byName'], [['a', 1, 2]]), ['Collections.byName']) },
      { name: 'set item', spoil: (s) => (put(s, ['seen'], ['a', 1]), ['Collections.seen[1]']) },
      { name: 'date as ISO string', spoil: (s) => (put(s, ['startedAt'], '2026-11-28T00:00:00Z'), ['Collections.startedAt']) },
      { name: 'nullable date', spoil: (s) => (put(s, ['finishedAt'], {}), ['Collections.finishedAt']) },
      { name: 'bigint as a number', spoil: (s) => (put(s, ['samples'], 12), ['Collections.samples']) },
      { name: 'bigint as a non-decimal string', spoil: (s) => (put(s, ['samples'], '0x1f'), ['Collections.samples']) },
      { name: 'bigint array', spoil: (s) => (put(s, ['seeds'], ['1', '1.5']), ['Collections.seeds[1]']) },
      { name: 'map of dates', spoil: (s) => (put(s, ['stamps'], [['a', 'yesterday']]), ['Collections.stamps[0][1]']) },
      { name: 'set of bigints', spoil: (s) => (put(s, ['bigSet'], [1]), ['Collections.bigSet[0]']) },
    ],
  },
  {
    name: 'ThresholdCallback',
    instances: make.thresholdCallback,
    json: true,
    keys: ['calls', 'lastValue', 'monitor', 'threshold', 'direction'],
    spoilers: [
      { name: 'grandparent field (another file)', spoil: (s) => (put(s, ['calls'], 'x'), ['ThresholdCallback.calls']) },
      {
        name: 're-declared field',
        spoil: (s) => (put(s, ['lastValue'], 'x'), ['ThresholdCallback.lastValue']),
      },
      { name: 'own field', spoil: (s) => (put(s, ['direction'], 'sideways'), ['ThresholdCallback.direction']) },
      { name: 'parent field missing', strictOnly: true, spoil: (s) => (remove(s, ['monitor']), ['ThresholdCallback.monitor']) },
      {
        name: 'non-persisted parent field',
        strictOnly: true,
        spoil: (s) => (put(s, ['enabled'], true), ['ThresholdCallback.enabled']),
      },
    ],
  },
  {
    name: 'MonitorCallback',
    instances: make.monitorCallback,
    json: true,
    keys: ['calls', 'lastValue', 'monitor'],
    spoilers: [
      { name: "child's field is unknown to the parent", strictOnly: true, spoil: (s) => (put(s, ['threshold'], 1), ['MonitorCallback.threshold']) },
    ],
  },
  {
    name: 'BaseCallback',
    instances: make.baseCallback,
    json: true,
    keys: ['calls', 'lastValue'],
    spoilers: [{ name: 'parent field', spoil: (s) => (put(s, ['lastValue'], []), ['BaseCallback.lastValue']) }],
  },
  {
    name: 'Patience',
    instances: make.patience,
    json: true,
    keys: ['wait', 'best', 'history', 'mode'],
    spoilers: [
      { name: 'private field', spoil: (s) => (put(s, ['wait'], 'x'), ['Patience.wait']) },
      { name: 'protected field', spoil: (s) => (put(s, ['best'], 'x'), ['Patience.best']) },
      { name: 'private readonly array', spoil: (s) => (put(s, ['history'], [1, 'x']), ['Patience.history[1]']) },
      { name: 'private non-persisted field', strictOnly: true, spoil: (s) => (put(s, ['patience'], 3), ['Patience.patience']) },
    ],
  },
  {
    name: 'EarlyStopping',
    instances: make.earlyStopping,
    json: true,
    keys: ['wait', 'best_score', 'remaining', 'note', 'lr', 'val-loss'],
    spoilers: [
      { name: 'renamed key', spoil: (s) => (put(s, ['best_score'], 'x'), ['EarlyStopping.best_score']) },
      { name: 'key that is not an identifier', spoil: (s) => (put(s, ['val-loss'], 'x'), ['EarlyStopping["val-loss"]']) },
      {
        name: 'property name instead of the key',
        strictOnly: true,
        spoil: (s) => (rename(s, ['best_score'], 'bestScore'), ['EarlyStopping.best_score', 'EarlyStopping.bestScore']),
      },
      {
        name: 'bad value under a legacy name is reported where it is',
        spoil: (s) => (remove(s, ['remaining']), put(s, ['patience_left'], 'x'), ['EarlyStopping.patience_left']),
      },
      { name: 'optional key present but wrong', spoil: (s) => (put(s, ['note'], 1), ['EarlyStopping.note']) },
      {
        name: 'optional key with legacy name, wrong',
        spoil: (s) => (remove(s, ['lr']), put(s, ['learning_rate'], '0.1'), ['EarlyStopping.learning_rate']),
      },
    ],
  },
  PLACED,
];

export function caseNamed(name: string): ClassCase {
  const found = CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no behaviour case ${name}`);
  return found;
}
