import { describe, expect, it } from 'vitest';
import { persist, stateful, StateDeclarationError } from 'kindling';
import {
  isStatefulClass,
  nearestStatefulClass,
  ownPersistedFields,
  persistedFields,
  statefulClassInfo,
} from 'kindling/runtime';
import { methodsOf } from './helpers.js';

const props = (ctor: abstract new (...args: never[]) => object) => persistedFields(ctor).map((f) => f.property);
const ownProps = (ctor: abstract new (...args: never[]) => object) => ownPersistedFields(ctor).map((f) => f.property);

describe('@persist metadata and inheritance', () => {
  @stateful()
  class Base {
    @persist() a = 1;
    @persist() b = 'b';
  }
  const baseOwnBefore = [...ownPersistedFields(Base)];

  @stateful()
  class Middle extends Base {
    @persist() c = true;
  }

  @stateful()
  class Leaf extends Middle {
    @persist() d: number[] = [];
  }

  @stateful()
  class Sibling extends Base {
    @persist() e = 0;
  }

  it('gives a subclass its ancestors’ fields first, then its own, over three levels', () => {
    expect(props(Base)).toEqual(['a', 'b']);
    expect(props(Middle)).toEqual(['a', 'b', 'c']);
    expect(props(Leaf)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps sibling subclasses apart', () => {
    expect(props(Sibling)).toEqual(['a', 'b', 'e']);
    expect(props(Middle)).not.toContain('e');
    expect(props(Leaf)).not.toContain('e');
    expect(props(Sibling)).not.toContain('c');
  });

  it('never writes a parent’s own metadata when subclasses register fields', () => {
    expect(ownPersistedFields(Base)).toEqual(baseOwnBefore);
    expect(ownProps(Base)).toEqual(['a', 'b']);
    expect(ownProps(Middle)).toEqual(['c']);
    expect(ownProps(Leaf)).toEqual(['d']);
    expect(ownProps(Sibling)).toEqual(['e']);
  });

  it('records which class declared each field', () => {
    expect(persistedFields(Leaf).map((f) => f.owner)).toEqual([Base, Base, Middle, Leaf]);
  });

  it('works through the instances: each class saves exactly its own and inherited fields', () => {
    expect(methodsOf(new Leaf()).stateDict()).toEqual({ a: 1, b: 'b', c: true, d: [] });
    expect(methodsOf(new Sibling()).stateDict()).toEqual({ a: 1, b: 'b', e: 0 });
    expect(methodsOf(new Base()).stateDict()).toEqual({ a: 1, b: 'b' });
  });
});

describe('field overrides', () => {
  @stateful()
  class Parent {
    @persist() first = 1;
    @persist() shared = 2;
    @persist() last = 3;
  }

  @stateful()
  class Child extends Parent {
    @persist({ name: 'sharedKey', optional: true }) override shared = 20;
    @persist() extra = 4;
  }

  it('replaces the parent’s entry in place, keeping its position, with the subclass’s options', () => {
    expect(props(Child)).toEqual(['first', 'shared', 'last', 'extra']);
    const shared = persistedFields(Child)[1]!;
    expect(shared.key).toBe('sharedKey');
    expect(shared.optional).toBe(true);
    expect(shared.owner).toBe(Child);
  });

  it('leaves the parent’s version of the field untouched', () => {
    const shared = persistedFields(Parent)[1]!;
    expect(shared.key).toBe('shared');
    expect(shared.optional).toBe(false);
    expect(methodsOf(new Parent()).stateDict()).toEqual({ first: 1, shared: 2, last: 3 });
    expect(methodsOf(new Child()).stateDict()).toEqual({ first: 1, sharedKey: 20, last: 3, extra: 4 });
  });

  it('keeps one entry when the same class decorates a field twice (the last decorator wins)', () => {
    class Twice {
      @persist({ name: 'inner' })
      @persist({ name: 'outer' })
      x = 1;
    }
    expect(ownPersistedFields(Twice).map((f) => f.key)).toEqual(['inner']);
  });
});

describe('@persist options', () => {
  class Point {
    x = 0;
  }

  class Options {
    @persist({ name: 'renamed', legacyNames: ['old', 'older'], optional: true, type: () => Point }) field = new Point();
    @persist() plain: number = 0;
  }

  it('records name, legacyNames, optional and type, with defaults for a bare @persist()', () => {
    const [field, plain] = persistedFields(Options);
    expect(field).toMatchObject({ property: 'field', key: 'renamed', legacyNames: ['old', 'older'], optional: true });
    expect(field!.type?.()).toBe(Point);
    expect(plain).toMatchObject({ property: 'plain', key: 'plain', legacyNames: [], optional: false });
    expect(plain!.type).toBeUndefined();
  });

  it('records design:type as the compiler emitted it', () => {
    expect(persistedFields(Options)[1]!.designType).toBe(Number);
  });

  it('copies legacyNames, so changing the options array later changes nothing', () => {
    const legacy = ['a'];
    class Copied {
      @persist({ legacyNames: legacy }) x = 0;
    }
    legacy.push('b');
    expect(persistedFields(Copied)[0]!.legacyNames).toEqual(['a']);
  });

  it('rejects symbol properties: state keys are strings', () => {
    const key = Symbol('k');
    expect(() => persist()(Options.prototype, key)).toThrow(/symbol property Symbol\(k\)/);
  });
});

describe('@stateful class info', () => {
  @stateful(undefined, { legacyKeys: ['early_stopping'] })
  class Marked {
    @persist() x = 1;
  }
  class Unmarked extends Marked {}

  it('records the class name and legacy keys on the class itself only', () => {
    expect(statefulClassInfo(Marked)).toMatchObject({ className: 'Marked', legacyKeys: ['early_stopping'] });
    expect(statefulClassInfo(Unmarked)).toBeUndefined();
    expect(isStatefulClass(Marked)).toBe(true);
    expect(isStatefulClass(Unmarked)).toBe(false);
    expect(isStatefulClass('Marked')).toBe(false);
    expect(nearestStatefulClass(Unmarked)).toBe(Marked);
    expect(nearestStatefulClass(class Lone {})).toBeUndefined();
  });

  it('keeps a hand-written stateDict and loadStateDict', () => {
    @stateful()
    class Custom {
      @persist() x = 1;
      stateDict() {
        return { custom: this.x };
      }
      loadStateDict(state: { custom: number }) {
        this.x = state.custom;
      }
    }
    const c = new Custom();
    c.loadStateDict({ custom: 5 });
    expect(c.stateDict()).toEqual({ custom: 5 });
  });
});

describe('state keys', () => {
  it('two fields under one state key (current or legacy) are refused when the class is defined', () => {
    expect(() => {
      @stateful()
      class Clash {
        @persist({ name: 'lr' }) learningRate = 0.1;
        @persist() lr = 5;
      }
      return Clash;
    }).toThrow(StateDeclarationError);
    expect(() => {
      @stateful()
      class LegacyClash {
        @persist({ legacyNames: ['step'] }) globalStep = 0;
        @persist() step = 1;
      }
      return LegacyClash;
    }).toThrow('LegacyClash: fields globalStep and step both use the state key "step"');
  });

  it('a field may list its own key among its legacy names', () => {
    @stateful()
    class Fine {
      @persist({ legacyNames: ['x'] }) x = 1;
    }
    expect(new Fine()).toBeInstanceOf(Fine);
  });
});
