/**
 * Hostile states and graphs (issue 8, state layer): depth beyond MAX_STATE_DEPTH and cycles are StateErrors with a
 * path, never RangeErrors; each input value is read once, so what was validated is what is committed; errors thrown
 * by getters and Proxies become StateErrors with the path; validation records at most MAX_REPORTED_ISSUES issues.
 * Every case runs against the generated and the reflective engine.
 */
import { MAX_REPORTED_ISSUES, MAX_STATE_DEPTH, persist, StateError, stateful, type Tensor, tensor, zeros } from 'kindling';
import { describe, expect, it } from 'vitest';
import { Blob, Chain, Holder } from '../codegen/fixtures/state-graphs/input/graphs.js';
import { plan, PREPARE_LOAD } from '../../src/state/load-plan.js';
import { prepareInert, readOnce } from '../../src/state/read-state.js';

@stateful()
class RChain {
  @persist() next: RChain | null = null;
  @persist() value = 0;
}

@stateful()
class RBlob {
  @persist() data: unknown = null;
  @persist() numbers: number[] = [];
  @persist() weights: Tensor<'float32'> = zeros('float32', [2]);
}

@stateful()
class RHolder {
  @persist() child = new RBlob();
  @persist() list: number[] = [0];
}

interface Loadable {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: unknown): unknown;
}
type ChainLike = Loadable & { next: ChainLike | null; value: number };
type BlobLike = Loadable & { data: unknown; numbers: number[]; weights: Tensor<'float32'> };
type HolderLike = Loadable & { child: BlobLike; list: number[] };

const engines = [
  ['generated', { chain: () => new Chain(), blob: () => new Blob(), holder: () => new Holder() }],
  ['reflective', { chain: () => new RChain(), blob: () => new RBlob(), holder: () => new RHolder() }],
] as const;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return expect.fail('expected it to throw');
}

function stateError(run: () => unknown): StateError {
  const e = thrown(run);
  expect(e).toBeInstanceOf(StateError);
  return e as StateError;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const blobState = (overrides: Record<string, unknown> = {}) => ({ data: null, numbers: [1, 2], weights: tensor('float32', [2], [1, 2]), ...overrides });

describe.each(engines)('hostile states (%s engine)', (_name, make) => {
  const chain = () => make.chain() as unknown as ChainLike;
  const blob = () => make.blob() as unknown as BlobLike;
  const holder = () => make.holder() as unknown as HolderLike;

  it('refuses to save a component that reaches itself (a.next = a) with a StateError naming the path', () => {
    const a = chain();
    const b = chain();
    a.next = b;
    b.next = a;
    const error = stateError(() => a.stateDict());
    expect(error.path).toBe(`${a.constructor.name}.next.next`);
    expect(error.message).toContain('no cycles');
  });

  it(`refuses a chain of components deeper than ${MAX_STATE_DEPTH} with a StateError`, () => {
    const head = chain();
    let tail = head;
    for (let i = 0; i < MAX_STATE_DEPTH + 10; i++) {
      tail.next = chain();
      tail = tail.next;
    }
    const error = stateError(() => head.stateDict());
    expect(error.message).toContain(`at most ${MAX_STATE_DEPTH} nested stateful objects`);
    expect(error.path.startsWith(`${head.constructor.name}.next.next.`)).toBe(true);
  });

  it('refuses to save 100,000-deep data with a StateError, not a RangeError', () => {
    const b = blob();
    b.data = nested(100_000);
    const error = stateError(() => b.stateDict());
    expect(error.message).toContain(`at most ${MAX_STATE_DEPTH} levels of nesting`);
  });

  it('refuses to load 100,000-deep data with a StateError naming where the limit was hit, changing nothing', () => {
    const b = blob();
    const error = stateError(() => b.loadStateDict(blobState({ data: nested(100_000) })));
    expect(error.issues).toHaveLength(1);
    expect(error.path).toBe(`${b.constructor.name}.data${'[0]'.repeat(MAX_STATE_DEPTH - 1)}`);
    expect(Array.from(b.weights.data)).toEqual([0, 0]);
  });

  it('refuses a cyclic state', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = stateError(() => blob().loadStateDict(blobState({ data: cyclic })));
    expect(error.issues[0]).toMatchObject({ expected: 'a tree (no cycles)' });
  });

  it('commits what it validated: a getter returning a number, then a function', () => {
    const numbers = [0, 2];
    let reads = 0;
    Object.defineProperty(numbers, 0, { enumerable: true, get: () => (++reads === 1 ? 5 : () => 'surprise') });
    const b = blob();
    b.loadStateDict(blobState({ numbers }));
    expect(b.numbers).toEqual([5, 2]);
    expect(reads).toBe(1);
  });

  it('reads a getter that throws on its second read only once, so the load completes', () => {
    const list = [0];
    let reads = 0;
    Object.defineProperty(list, 0, {
      enumerable: true,
      get: () => {
        if (++reads > 1) throw new Error('read twice');
        return 7;
      },
    });
    const h = holder();
    h.loadStateDict({ child: blobState({ numbers: [9] }), list });
    expect(h.list).toEqual([7]);
    expect(h.child.numbers).toEqual([9]);
  });

  it('copies the tensor data it validated, even when `data` changes length afterwards', () => {
    let reads = 0;
    const shifty = {
      dtype: 'float32',
      shape: [2],
      get data() {
        return ++reads === 1 ? new Float32Array([3, 4]) : new Float32Array(3);
      },
    };
    const b = blob();
    b.loadStateDict(blobState({ weights: shifty }));
    expect(Array.from(b.weights.data)).toEqual([3, 4]);
  });

  it('wraps what a getter or Proxy throws in a StateError with the path, changing nothing', () => {
    const numbers = [1];
    Object.defineProperty(numbers, 0, {
      enumerable: true,
      get: () => {
        throw new Error('no numbers today');
      },
    });
    const b = blob();
    const error = stateError(() => b.loadStateDict(blobState({ numbers })));
    expect(error.issues).toEqual([
      { path: `${b.constructor.name}.numbers[0]`, kind: 'type', expected: 'a value that can be read', actual: 'a getter or Proxy that threw: no numbers today' },
    ]);
    const trap = new Proxy({}, {
      ownKeys() {
        throw new Error('no keys');
      },
    });
    expect(stateError(() => b.loadStateDict(blobState({ data: trap }))).path).toBe(`${b.constructor.name}.data`);
    expect(Array.from(b.weights.data)).toEqual([0, 0]);
  });

  it('reads each key of a Proxy state and each element of a Proxy array once', () => {
    const reads = new Map<PropertyKey, number>();
    const counted = <T extends object>(target: T, prefix: string): T =>
      new Proxy(target, {
        get(t, key, receiver) {
          if (typeof key === 'string') reads.set(`${prefix}${key}`, (reads.get(`${prefix}${key}`) ?? 0) + 1);
          return Reflect.get(t, key, receiver) as unknown;
        },
      });
    const b = blob();
    b.loadStateDict(counted(blobState({ numbers: counted([4, 5, 6], 'numbers.') }), ''));
    expect(b.numbers).toEqual([4, 5, 6]);
    for (const key of ['data', 'numbers', 'weights', 'numbers.0', 'numbers.1', 'numbers.2']) expect([key, reads.get(key)]).toEqual([key, 1]);
  });

  it('keeps no container of the state it loaded: the fields are its own once-read copy', () => {
    const list = [1, 2];
    const numbers = [3, 4];
    const state = { child: blobState({ numbers }), list };
    const [a, b] = [holder(), holder()];
    a.loadStateDict(state);
    b.loadStateDict(state);
    list.push(9);
    numbers[0] = -1;
    expect([a.list, a.child.numbers]).toEqual([[1, 2], [3, 4]]);
    expect(a.list).not.toBe(b.list);
    expect(a.child.numbers).not.toBe(b.child.numbers);
  });

  it(`records at most ${MAX_REPORTED_ISSUES} issues and counts the rest`, () => {
    const b = blob();
    b.numbers = [0]; // the reflective engine checks elements against the live ones
    const error = stateError(() => b.loadStateDict(blobState({ numbers: new Array<string>(5000).fill('x') })));
    expect(error.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(error.message).toMatch(/^5000 problems in state:/);
    expect(error.message).toContain('… and 4990 more');
  });
});

describe('readOnce', () => {
  it('passes on without a copy exactly the part of its copy that a load hands to a nested loader', () => {
    const outer = { child: { numbers: [1] } };
    const side = { numbers: [2] };
    const received: unknown[] = [];
    const record = (state: unknown, path: string) =>
      readOnce(state, path, (inert) => {
        received.push(inert);
        return plan([]);
      });
    const nested = { loadStateDict: Object.assign(() => ({}), { [PREPARE_LOAD]: (_self: object, state: unknown, path: string) => record(state, path) }) };
    let handed: unknown;
    readOnce(outer, 'Outer', (inert) => {
      const child = (handed = (inert as typeof outer).child);
      prepareInert(nested, child, 'Outer.child', {});
      // User code running inside a load (a value kind's validate) that loads a state of its own gets a copy of it.
      record(side, 'Side');
      // So does the same part of the copy when no load hands it over.
      record(child, 'Outer.child');
      return plan([]);
    });
    expect(received).toHaveLength(3);
    expect(handed).not.toBe(outer.child);
    expect(received[0]).toBe(handed);
    expect(received[1]).not.toBe(side);
    expect(received[1]).toEqual(side);
    expect(received[2]).not.toBe(received[0]);
    expect(received[2]).toEqual(received[0]);
  });
});
