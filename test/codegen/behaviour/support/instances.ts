/**
 * Instance arbitraries for the golden fixture classes: random, fully populated instances built by assigning field
 * values directly (not through loadStateDict), so stateDict() is exercised independently of loading.
 */
import fc from 'fast-check';
import { Arrays } from '../../fixtures/arrays/input/arrays.js';
import { Vec } from '../../fixtures/class-instances/input/geometry.js';
import { Anchor, Placed } from '../../fixtures/class-instances/input/placed.js';
import { Tracker } from '../../fixtures/cross-file-types/input/tracker.js';
import { Enums, Precision, Sparse } from '../../fixtures/enums/input/enums.js';
import { Phase } from '../../fixtures/enums/input/phases.js';
import { BaseCallback } from '../../fixtures/inheritance/input/base.js';
import { MonitorCallback, ThresholdCallback } from '../../fixtures/inheritance/input/derived.js';
import { LiteralUnions } from '../../fixtures/literal-unions/input/literal-unions.js';
import { Collections } from '../../fixtures/map-set-date-bigint/input/collections.js';
import { InnerCounter } from '../../fixtures/nested-stateful/input/inner.js';
import { Middle, Outer } from '../../fixtures/nested-stateful/input/outer.js';
import { OptionalNullable } from '../../fixtures/optional-nullable/input/optional-nullable.js';
import { EarlyStopping } from '../../fixtures/persist-options/input/early-stopping.js';
import { Counters, Primitives } from '../../fixtures/primitives/input/primitives.js';
import { Patience } from '../../fixtures/private-protected/input/private-protected.js';
import { Records } from '../../fixtures/records/input/records.js';
import { Tensors } from '../../fixtures/tensors/input/tensors.js';
import { Tuples } from '../../fixtures/tuples/input/tuples.js';
import {
  bigint,
  date,
  type Flavour,
  int,
  key,
  map,
  maybe,
  nullable,
  num,
  record,
  set,
  smallArray,
  str,
  tensor,
} from './values.js';

/**
 * Builds an instance and assigns the values, private and readonly fields included (at run time they are ordinary
 * properties; the cast is the same structural view the generated code uses).
 */
export function build<T extends object>(ctor: new () => T, values: Record<string, unknown>): T {
  const instance = new ctor();
  Object.assign(instance as Record<string, unknown>, values);
  return instance;
}

type Fields = { [name: string]: fc.Arbitrary<unknown> };

function of<T extends object>(ctor: new () => T, fields: Fields): fc.Arbitrary<T> {
  return fc.record(fields).map((values) => build(ctor, values));
}

const mode = fc.constantFrom('min' as const, 'max' as const);

export const primitives = (f: Flavour) =>
  of(Primitives, { count: num(f), ratio: num(f), label: str(), enabled: fc.boolean(), nothing: fc.constant(null), runId: str(), scratch: int() });

export const counters = (f: Flavour) => of(Counters, { steps: num(f), epochs: num(f) });

export const literalUnions = () =>
  of(LiteralUnions, {
    mode,
    direction: mode,
    reduction: fc.constantFrom('mean', 'sum', 'none'),
    level: fc.constantFrom(1, 2, 3),
    alwaysOn: fc.constant(true),
    mixed: fc.constantFrom('auto', 0, null),
    verbosity: fc.oneof(fc.constant('quiet'), int()),
  });

const phase = fc.constantFrom(Phase.Train, Phase.Validate, Phase.Test);

export const enums = () =>
  of(Enums, {
    phase,
    precision: fc.constantFrom(Precision.Full, Precision.Half, Precision.Brain),
    sparse: fc.constantFrom(Sparse.Low, Sparse.High, Sparse.Max),
    lastPhase: nullable(phase),
    evalPhase: fc.constantFrom(Phase.Validate, Phase.Test),
  });

export const arrays = (f: Flavour) =>
  of(Arrays, {
    losses: smallArray(num(f)),
    tags: smallArray(str()),
    flags: smallArray(fc.boolean()),
    frozen: smallArray(num(f)),
    grid: smallArray(smallArray(num(f), 3), 3),
    history: smallArray(fc.record({ step: int(), loss: num(f) })),
    modes: smallArray(mode),
    maybeScores: smallArray(nullable(num(f))),
  });

export const tuples = (f: Flavour) =>
  of(Tuples, {
    betas: fc.tuple(num(f), num(f)),
    labelled: fc.tuple(str(), num(f)),
    named: fc.tuple(num(f), num(f)),
    withOptional: fc.oneof(fc.tuple(num(f)), fc.tuple(num(f), str())),
    nested: fc.tuple(fc.tuple(num(f), num(f)), fc.boolean()),
    empty: fc.constant([]),
  });

export const optionalNullable = (f: Flavour) =>
  of(OptionalNullable, {
    note: maybe(str()),
    best: nullable(num(f)),
    maybeBest: fc.constantFrom(undefined, null).chain((nil) => fc.option(num(f), { nil })),
    window: maybe(fc.record({ size: int(), stride: int() }, { requiredKeys: ['size'] })),
    lastError: nullable(str()),
    checkpoints: nullable(smallArray(nullable(str()))),
    lastSeen: maybe(str()),
  });

export const records = (f: Flavour) =>
  of(Records, {
    metrics: record(num(f)),
    aliases: record(smallArray(str())),
    perSplit: fc.record({ train: num(f), val: num(f) }),
    nested: record(record(num(f))),
    optimizer: fc.record({ lr: num(f), betas: fc.tuple(num(f), num(f)), name: str() }),
    counts: record(int()),
  });

const point = (f: Flavour) => fc.record({ x: num(f), y: num(f) });
const run = (f: Flavour) =>
  fc.record({
    id: str(),
    schedule: fc.record(
      { warmup: int(), decay: fc.constantFrom('linear', 'cosine'), milestones: smallArray(int()), note: str() },
      { requiredKeys: ['warmup', 'decay', 'milestones'] },
    ),
    path: smallArray(point(f)),
  });

export const tracker = (f: Flavour) =>
  of(Tracker, {
    run: run(f),
    origin: point(f),
    bounds: fc.record({ first: num(f), second: num(f) }),
    window: fc.record({ start: int(), end: int() }),
    previous: smallArray(run(f), 3),
  });

export const tensors = () =>
  of(Tensors, {
    weights: tensor('float32'),
    anyDtype: tensor(['float64', 'float32', 'int64', 'uint8', 'bool', 'float16']),
    steps: nullable(tensor('int64')),
    moments: smallArray(tensor('float32'), 3),
    buffers: record(tensor(['float32', 'int32', 'uint64'])),
    half: tensor('bfloat16'),
    mask: tensor('bool'),
  });

export const innerCounter = (f: Flavour) => of(InnerCounter, { count: num(f), mode });
export const middle = (f: Flavour) => of(Middle, { inner: innerCounter(f), scale: num(f) });
export const outer = (f: Flavour) => of(Outer, { name: str(), middle: middle(f), direct: innerCounter(f) });

export const collections = (f: Flavour) =>
  of(Collections, {
    byName: map(key(), num(f)),
    byStep: map(num(f), smallArray(str())),
    seen: set(str()),
    ids: set(num(f)),
    startedAt: date(f),
    finishedAt: nullable(date(f)),
    samples: bigint(),
    seeds: smallArray(bigint()),
    stamps: map(key(), date(f)),
    bigSet: set(bigint()),
  });

const baseFields = (f: Flavour) => ({ calls: int(), lastValue: nullable(num(f)), enabled: fc.boolean() });
export const baseCallback = (f: Flavour) => of(BaseCallback, baseFields(f));
export const monitorCallback = (f: Flavour) => of(MonitorCallback, { ...baseFields(f), monitor: str() });
export const thresholdCallback = (f: Flavour) =>
  of(ThresholdCallback, {
    ...baseFields(f),
    monitor: str(),
    threshold: num(f),
    direction: fc.constantFrom('above', 'below'),
  });

export const patience = (f: Flavour) =>
  of(Patience, { wait: int(), best: nullable(num(f)), history: smallArray(num(f)), mode });

export const earlyStopping = (f: Flavour) =>
  of(EarlyStopping, {
    wait: int(),
    bestScore: nullable(num(f)),
    remaining: int(),
    note: str(),
    learningRate: num(f),
    valLoss: num(f),
  });

const vec = (f: Flavour) => fc.record({ x: num(f), y: num(f) }).map((v) => build(Vec, v));

/** Opaque plain data: anything JSON can carry (the exact flavour adds non-finite numbers and -0 inside). */
const plainData = (f: Flavour): fc.Arbitrary<unknown> =>
  f === 'json'
    ? fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)
    : fc.oneof(fc.jsonValue({ maxDepth: 2 }), smallArray(num(f)), record(num(f)));

export const placed = (f: Flavour) =>
  of(Placed, {
    origin: vec(f),
    target: nullable(vec(f)),
    path: smallArray(vec(f), 3),
    anchor: fc.record({ label: str(), pinned: fc.boolean() }).map((v) => build(Anchor, v)),
    extra: plainData(f),
  });
