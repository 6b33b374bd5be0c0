/**
 * Values of plain classes (`@persist({ type: () => C })`, converted with class-transformer) come back as instances of
 * their class, and opaque plain data (`@persist({ opaque: true })`) comes back as a deep copy.
 */
import { describe, expect, it } from 'vitest';
import { Vec } from '../fixtures/class-instances/input/geometry.js';
import { Anchor, Placed } from '../fixtures/class-instances/input/placed.js';
import { build } from './support/instances.js';
import { load, stateOf } from './support/untyped.js';

const saved = () =>
  build(Placed, {
    origin: build(Vec, { x: 3, y: 4 }),
    target: build(Vec, { x: 6, y: 8 }),
    path: [build(Vec, { x: 1, y: 0 }), build(Vec, { x: 0, y: 2 })],
    anchor: build(Anchor, { label: 'start', pinned: true }),
    extra: { tags: ['a'], depth: 2 },
  });

describe('class-transformer and opaque fields', () => {
  it('save class values as plain objects', () => {
    expect(stateOf(saved())).toEqual({
      origin: { x: 3, y: 4 },
      target: { x: 6, y: 8 },
      path: [{ x: 1, y: 0 }, { x: 0, y: 2 }],
      anchor: { label: 'start', pinned: true },
      extra: { tags: ['a'], depth: 2 },
    });
  });

  it('load class values as instances of their class', () => {
    const t = new Placed();
    load(t, JSON.parse(JSON.stringify(stateOf(saved()))));
    expect(t.origin).toBeInstanceOf(Vec);
    expect(t.origin.norm()).toBe(5);
    expect(t.target).toBeInstanceOf(Vec);
    expect(t.path.map((v) => v instanceof Vec && v.norm())).toEqual([1, 2]);
    expect(t.anchor).toBeInstanceOf(Anchor);
    expect(t.anchor.pinned).toBe(true);
  });

  it('load opaque data as a copy', () => {
    const state = stateOf(saved());
    const t = new Placed();
    load(t, state);
    expect(t.extra).toEqual(state.extra);
    expect(t.extra).not.toBe(state.extra);
  });
});
