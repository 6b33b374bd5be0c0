/**
 * The scanner on in-memory projects: one ts-morph Project for the whole file, one source file per test.
 */
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { ComponentScanner } from '../../../codegen/scan/components.js';
import { kindlingSymbols } from '../../../codegen/scan/kindling-symbols.js';
import { StatefulClasses } from '../../../codegen/scan/stateful-classes.js';
import type { ComponentModel, FieldModel, TypeModel } from '../../../codegen/model.js';

const project = new Project({
  useInMemoryFileSystem: true,
  compilerOptions: {
    target: 99,
    strict: true,
    experimentalDecorators: true,
    paths: { kindling: ['/kindling/index.ts'] },
  },
});
project.createSourceFile(
  '/kindling/state/tensor.ts',
  `export type DType = 'float32' | 'float64' | 'int32';
   export interface Tensor<D extends DType = DType> { readonly dtype: D; readonly shape: readonly number[]; readonly data: Float32Array }`,
);
project.createSourceFile(
  '/kindling/index.ts',
  `export type { Tensor } from './state/tensor';
   export declare function persist(options?: object): PropertyDecorator;
   export declare function stateful(generated?: unknown, options?: object): ClassDecorator;`,
);
project.createSourceFile('/p/types.ts', `export enum Level { Low, High }\nexport interface Point { x: number; y?: number }`);

let counter = 0;
function scan(body: string): { components: ComponentModel[]; failed: boolean; diagnostics: string[] } {
  const sf = project.createSourceFile(`/p/case${counter++}.ts`, `import { persist, stateful, type Tensor } from 'kindling';\n${body}`);
  const scanner = new ComponentScanner(new StatefulClasses(kindlingSymbols(project, '/p')));
  const result = scanner.scanFile(sf);
  return { ...result, diagnostics: scanner.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`) };
}

function fieldTypes(c: ComponentModel | undefined): Record<string, TypeModel> {
  return Object.fromEntries((c?.fields ?? []).map((f: FieldModel) => [f.property, f.type]));
}

describe('ComponentScanner', () => {
  it('reads primitives, nullable and optional fields, and @persist options', () => {
    const { components, diagnostics } = scan(`
@stateful(AState)
export class A {
  @persist() n = 1;
  @persist({ name: 'best', legacyNames: ['best_score'], optional: true }) best: number | null = null;
  @persist() note?: string;
  @persist() private hidden = false;
}`);
    expect(diagnostics).toEqual([]);
    const [a] = components;
    expect(a?.wired).toBe(true);
    expect(a?.fields.map((f) => [f.property, f.key, f.legacyNames, f.optional, f.undefinable])).toEqual([
      ['n', 'n', [], false, false],
      ['best', 'best', ['best_score'], true, false],
      ['note', 'note', [], false, true],
      ['hidden', 'hidden', [], false, false],
    ]);
    expect(fieldTypes(a)).toEqual({
      n: { kind: 'number' },
      best: { kind: 'union', members: [{ kind: 'number' }, { kind: 'null' }] },
      note: { kind: 'string' },
      hidden: { kind: 'boolean' },
    });
  });

  it('resolves imported interfaces, enums, records, tensors, Map/Set/Date and tuples', () => {
    const { components, diagnostics } = scan(`
import { Level, type Point } from './types';
@stateful(BState)
export class B {
  @persist() level: Level = Level.Low;
  @persist() at: Point = { x: 0 };
  @persist() counts: Record<'a' | 'b', number> = { a: 0, b: 0 };
  @persist() w!: Tensor<'float32'>;
  @persist() any!: Tensor;
  @persist() m = new Map<string, Date>();
  @persist() s: ReadonlySet<number> = new Set();
  @persist() t: [string, number?] = ['x'];
}`);
    expect(diagnostics).toEqual([]);
    expect(fieldTypes(components[0])).toEqual({
      level: { kind: 'enum', name: 'Level', values: [0, 1], ref: { name: 'Level', file: '/p/types.ts' } },
      at: {
        kind: 'object',
        properties: [
          { name: 'x', type: { kind: 'number' }, optional: false },
          { name: 'y', type: { kind: 'number' }, optional: true },
        ],
      },
      counts: {
        kind: 'object',
        properties: [
          { name: 'a', type: { kind: 'number' }, optional: false },
          { name: 'b', type: { kind: 'number' }, optional: false },
        ],
      },
      w: { kind: 'tensor', dtypes: ['float32'] },
      any: { kind: 'tensor', dtypes: [] },
      m: { kind: 'map', key: { kind: 'string' }, value: { kind: 'date' }, readonly: false },
      s: { kind: 'set', element: { kind: 'number' }, readonly: true },
      t: {
        kind: 'tuple',
        readonly: false,
        elements: [
          { type: { kind: 'string' }, optional: false },
          { type: { kind: 'number' }, optional: true },
        ],
      },
    });
  });

  it('saves branded primitives as the primitive and intersections of object types as one object', () => {
    const { components, diagnostics } = scan(`
type Seconds = number & { readonly __brand: 'Seconds' };
@stateful(TState)
export class T {
  @persist() elapsed = 0 as Seconds;
  @persist() both: { a: number } & { b: string } = { a: 1, b: '' };
}`);
    expect(diagnostics).toEqual([]);
    expect(fieldTypes(components[0])).toEqual({
      elapsed: { kind: 'number' },
      both: {
        kind: 'object',
        properties: [
          { name: 'a', type: { kind: 'number' }, optional: false },
          { name: 'b', type: { kind: 'string' }, optional: false },
        ],
      },
    });
  });

  it('orders literal unions canonically, whatever order the checker holds them in', () => {
    const { components } = scan(`
@stateful(CState)
export class C {
  @persist() mode: 'min' | 'max' | 3 = 'min';
}`);
    expect(fieldTypes(components[0]).mode).toEqual({
      kind: 'union',
      members: [
        { kind: 'literal', value: 3 },
        { kind: 'literal', value: 'max' },
        { kind: 'literal', value: 'min' },
      ],
    });
  });

  it('lists inherited fields first and keeps a re-declared field in its parent position', () => {
    const { components, diagnostics } = scan(`
@stateful(ParentState)
export class Parent {
  @persist() a = 0;
  @persist() b = '';
}
export class Middle extends Parent {
  @persist() m = 0;
}
@stateful(ChildState)
export class Child extends Middle {
  @persist() c = 0;
  @persist() a = 1;
}`);
    expect(diagnostics).toEqual([]);
    const child = components.find((c) => c.className === 'Child');
    expect(child?.fields.map((f) => `${f.owner}.${f.property}`)).toEqual(['Child.a', 'Parent.b', 'Middle.m', 'Child.c']);
    expect(child?.base).toEqual({
      className: 'Parent',
      state: { name: 'ParentState', file: child?.file, inGenerated: true },
      fields: ['a', 'b'],
    });
  });

  it('describes a directly held @stateful object as a nested component', () => {
    const { components } = scan(`
@stateful(InnerState)
export class Inner { @persist() n = 0; }
@stateful(OuterState)
export class Outer { @persist() inner = new Inner(); }`);
    const outer = components.find((c) => c.className === 'Outer');
    expect(fieldTypes(outer).inner).toEqual({
      kind: 'stateful',
      className: 'Inner',
      states: [{ name: 'InnerState', file: outer?.file, inGenerated: true }],
    });
  });

  it('follows class-transformer for @persist({ type }): the class of the value, of nullable values and of array items', () => {
    const { components, diagnostics } = scan(`
export class Money { amount = 0 }
@stateful(WalletState)
export class Wallet {
  @persist({ type: () => Money }) main = new Money();
  @persist({ type: () => Money }) spare: Money | null = null;
  @persist({ type: () => Money }) history: readonly (Money | null)[] = [];
  @persist({ type: () => Money }) wrong: Map<string, Money> = new Map();
}`);
    const money = { kind: 'instance', className: 'Money', ref: { name: 'Money', file: components[0]?.file ?? '' } } as const;
    expect(fieldTypes(components[0])).toEqual({});
    expect(diagnostics).toEqual([expect.stringMatching(/^9:3 KC1004 Wallet\.wrong: `type: \(\) => C` applies to fields of type C, C \| null, C\[\]/)]);
    const ok = scan(`
export class Money { amount = 0 }
@stateful(WalletState)
export class Wallet {
  @persist({ type: () => Money }) main = new Money();
  @persist({ type: () => Money }) spare: Money | null = null;
  @persist({ type: () => Money }) history: readonly (Money | null)[] = [];
}`);
    const file = ok.components[0]?.file ?? '';
    const m = { ...money, ref: { name: 'Money', file } };
    expect(ok.diagnostics).toEqual([]);
    expect(fieldTypes(ok.components[0])).toEqual({
      main: m,
      spare: { kind: 'union', members: [m, { kind: 'null' }] },
      history: { kind: 'array', readonly: true, element: { kind: 'union', members: [m, { kind: 'null' }] } },
    });
  });

  it('warns about an unwired @stateful() and still describes the class', () => {
    const { components, failed, diagnostics } = scan(`
@stateful()
export class Loose { @persist() n = 0; }`);
    expect(failed).toBe(false);
    expect(components).toHaveLength(1);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.replace(/case\d+/, 'caseN')).toBe(
      "4:14 KC1007 Loose: @stateful() has no generated state, so the class uses the untyped reflective engine: write @stateful(LooseState) with import { LooseState } from './caseN.state.generated.js'; wired, it gets typed, reflection-free stateDict()/loadStateDict().",
    );
  });

  it('reports every unsupported field at its position and marks the file failed', () => {
    const { components, failed, diagnostics } = scan(`
class Plain { x = 0 }
@stateful(BadState)
class Bad {
  @persist() cb: () => void = () => {};
  @persist() anything: unknown;
  @persist() plain = new Plain();
  @persist() list: Set<Inner2> = new Set();
  @persist() when: Date | number = 0;
  @persist() static count = 0;
  @persist({ name: dynamic }) d = 0;
}
const dynamic = 'd';
@stateful(Inner2State)
export class Inner2 { @persist() n = 0; }`);
    expect(failed).toBe(true);
    expect(components.map((c) => c.className)).toEqual(['Inner2']);
    expect(diagnostics.map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual([
      '5:7 KC1006 Bad:',
      '6:3 KC1001 Bad.cb:',
      '7:3 KC1003 Bad.anything:',
      '8:3 KC1004 Bad.plain:',
      '9:3 KC1012 Bad.list:',
      '10:3 KC1014 Bad.when:',
      '11:3 KC1011 Bad.count:',
      '12:20 KC1008 Bad.d:',
    ]);
  });

  it('refuses generic components, whose state type is not one concrete type', () => {
    const { diagnostics, failed } = scan(`
@stateful(BoxState)
export class Box<T> {
  @persist() n = 0;
  value?: T;
}`);
    expect(failed).toBe(true);
    expect(diagnostics).toEqual([expect.stringMatching(/^4:14 KC1013 Box: the class is generic/)]);
  });

  it('asks for an explicit option for shapeless types and accepts them with opaque', () => {
    const { diagnostics, components } = scan(`
@stateful(OState)
export class O {
  @persist() a: object = {};
  @persist() b: any = 1;
  @persist() c: Object = {};
}
@stateful(PState)
export class P {
  @persist({ opaque: true }) a: unknown = {};
}`);
    expect(diagnostics.map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual(['5:3 KC1003 O.a:', '6:3 KC1003 O.b:', '7:3 KC1003 O.c:']);
    expect(fieldTypes(components.find((c) => c.className === 'P'))).toEqual({ a: { kind: 'opaque' } });
  });

  it('reports recursive types and state keys used twice', () => {
    const { diagnostics } = scan(`
interface Node2 { value: number; next: Node2 | null }
@stateful(RState)
export class R {
  @persist() head: Node2 = { value: 0, next: null };
  @persist({ name: 'x' }) a = 0;
  @persist({ legacyNames: ['x'] }) b = 0;
}`);
    expect(diagnostics.map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual(['6:3 KC1010 R.head:', '8:3 KC1009 R.b:']);
    expect(diagnostics[1]).toContain('its key "x" is also used by R.a');
    expect(diagnostics.some((d) => d.includes('KC1010') && d.includes('refers to itself'))).toBe(true);
  });

  it('reads @stateful values held in collections, and keeps KC1012 for positions a load cannot fill', () => {
    const { components, diagnostics } = scan(`
@stateful(HState)
export class H { @persist() n = 0; }
@stateful(LState)
export class L { @persist() n = 0; }
@stateful(OkState)
export class Ok {
  @persist() list: readonly H[] = [];
  @persist() pair: [H, L] = [new H(), new L()];
  @persist() rec: { [k: string]: H } = {};
  @persist() byKey: Map<'a' | 'b', L> = new Map();
  @persist() maybe: H | null = null;
}
@stateful(BadState)
export class Bad {
  @persist() flags: Map<boolean, H> = new Map();
  @persist() holes: (H | null)[] = [];
  @persist() prop: { h: H } = { h: new H() };
  @persist() mixed: [H, number] = [new H(), 1];
  @persist() deep: Record<string, H[]> = {};
  @persist() optional: [H, L?] = [new H()];
}`);
    const ok = fieldTypes(components.find((c) => c.className === 'Ok'));
    const shapes = Object.fromEntries(
      Object.entries(ok).map(([k, t]) => [k, t.kind === 'statefuls' ? `${t.shape}:${t.elements.map((e) => e.className).join(',')}:${t.readonly}` : t.kind]),
    );
    expect(shapes).toEqual({ list: 'array:H:true', pair: 'tuple:H,L:false', rec: 'record:H:false', byKey: 'map:L:false', maybe: 'nullable:H:false' });
    expect(ok['byKey']).toMatchObject({ key: { kind: 'union' } });
    expect(diagnostics.map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual([
      '17:3 KC1012 Bad.flags:',
      '18:3 KC1012 Bad.holes:',
      '19:3 KC1012 Bad.prop:',
      '20:3 KC1012 Bad.mixed:',
      '21:3 KC1012 Bad.deep:',
      // One per tuple element that holds a component.
      '22:3 KC1012 Bad.optional:',
      '22:3 KC1012 Bad.optional:',
    ]);
  });

  it('recognises a tensor by kindling\'s declaration, not by its name or file', () => {
    // A user interface named Tensor, in a file whose path looks like kindling's.
    project.createSourceFile('/p/state/tensor.ts', 'export interface Tensor { readonly dtype: string; readonly data: Float32Array }');
    const real = scan(`
@stateful(TState)
export class T {
  @persist() real: Tensor<'float32'> | null = null;
}`);
    expect(fieldTypes(real.components[0]).real).toEqual({ kind: 'union', members: [{ kind: 'tensor', dtypes: ['float32'] }, { kind: 'null' }] });
    const mine = scan(`
import type { Tensor as MyTensor } from './state/tensor';
@stateful(MState)
export class M {
  @persist() mine: MyTensor | null = null;
}`);
    expect(mine.diagnostics.map((d) => d.split(' ').slice(0, 3).join(' '))).toEqual(['6:3 KC1015 M.mine:']);
  });

  it('reads unions of @stateful classes as one element, sorted by class name', () => {
    const { components, diagnostics } = scan(`
@stateful(BState) export class B { @persist() b = 0; }
@stateful(AState) export class A { @persist() a = 0; }
@stateful(UState)
export class U {
  @persist() list: (B | A)[] = [];
  @persist() one: B | A = new A();
  @persist() maybe: A | B | null = null;
}`);
    expect(diagnostics).toEqual([]);
    const u = fieldTypes(components.find((c) => c.className === 'U'));
    const states = (t: TypeModel | undefined) => (t?.kind === 'stateful' ? t : t?.kind === 'statefuls' ? t.elements[0] : undefined);
    expect(states(u.list)).toMatchObject({ className: 'A | B', states: [{ name: 'AState' }, { name: 'BState' }] });
    expect(u.one).toMatchObject({ kind: 'stateful', className: 'A | B' });
    expect(u.maybe).toMatchObject({ kind: 'statefuls', shape: 'nullable' });
  });
});
