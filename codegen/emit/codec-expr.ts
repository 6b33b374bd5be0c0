/**
 * Type models → codec expressions over the generated runtime (`$rt.nullable($rt.number)`): how a field is validated,
 * decoded and encoded. One expression per field, built once when the generated module loads.
 */
import type { TypeModel } from '../model.js';
import { rt } from './runtime.js';
import { literalText, quote } from './type-text.js';

/** Whether a model's field form is its state form and needs neither copying nor conversion (primitives). */
export function isImmediate(model: TypeModel): boolean {
  switch (model.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'null':
    case 'literal':
    case 'enum':
      return true;
    case 'union':
      return model.members.every(isImmediate);
    default:
      return false;
  }
}

function literalValues(model: TypeModel): (string | number | boolean)[] | undefined {
  if (model.kind === 'literal') return [model.value];
  if (model.kind === 'enum') return [...model.values];
  if (model.kind === 'union') {
    const out: (string | number | boolean)[] = [];
    for (const m of model.members) {
      const v = literalValues(m);
      if (v === undefined) return undefined;
      out.push(...v);
    }
    return out;
  }
  return undefined;
}

/** A codec expression; `className` resolves the runtime class of an `instance` model (a value import). */
export function codecExpr(model: TypeModel, valueName: (model: Extract<TypeModel, { kind: 'instance' }>) => string): string {
  const sub = (m: TypeModel) => codecExpr(m, valueName);
  switch (model.kind) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'date':
    case 'opaque':
      return rt(model.kind);
    case 'null':
      return rt('nullValue');
    case 'literal':
      return `${rt('literal')}([${literalText(model.value)}])`;
    case 'enum':
      return `${rt('literal')}([${model.values.map(literalText).join(', ')}], ${quote(model.name)})`;
    case 'array':
      return `${rt('array')}(${sub(model.element)})`;
    case 'tuple': {
      const required = model.elements.filter((e) => !e.optional).length;
      const elements = `[${model.elements.map((e) => sub(e.type)).join(', ')}]`;
      return required === model.elements.length ? `${rt('tuple')}(${elements})` : `${rt('tuple')}(${elements}, ${required})`;
    }
    case 'object': {
      const props = model.properties.map(
        (p) => `{ key: ${quote(p.name)}, codec: ${sub(p.type)}${p.optional ? ', optional: true' : ''} }`,
      );
      const list = `[${props.join(', ')}]`;
      return model.index ? `${rt('object')}(${list}, ${sub(model.index)})` : `${rt('object')}(${list})`;
    }
    case 'union': {
      const literals = literalValues(model);
      if (literals) return `${rt('literal')}([${literals.map(literalText).join(', ')}])`;
      const nonNull = model.members.filter((m) => m.kind !== 'null');
      if (nonNull.length === 1 && nonNull.length < model.members.length) return `${rt('nullable')}(${sub(nonNull[0]!)})`;
      return `${rt('union')}([${model.members.map(sub).join(', ')}])`;
    }
    case 'tensor':
      return model.dtypes.length === 0 ? `${rt('tensor')}()` : `${rt('tensor')}([${model.dtypes.map(quote).join(', ')}])`;
    case 'map':
      return `${rt('map')}(${sub(model.key)}, ${sub(model.value)})`;
    case 'set':
      return `${rt('set')}(${sub(model.element)})`;
    case 'instance':
      return `${rt('instance')}(() => ${valueName(model)}, ${quote(model.className)})`;
    case 'stateful':
    case 'statefuls':
      throw new Error('codecExpr: nested @stateful values are loaded through their own loader');
    case 'valueKind':
      throw new Error('codecExpr: values of a value kind are loaded through a placer (placerExpr)');
  }
}

/**
 * Whether a model holds tensors or values of a kind outside a plain union (a Set's items have no place to load into):
 * such a field is loaded through a placer, against its live value.
 */
export function needsPlace(model: TypeModel): boolean {
  switch (model.kind) {
    case 'tensor':
    case 'valueKind':
      return true;
    case 'array':
      return needsPlace(model.element);
    case 'tuple':
      return model.elements.some((e) => needsPlace(e.type));
    case 'object':
      return model.properties.some((p) => needsPlace(p.type)) || (model.index !== undefined && needsPlace(model.index));
    case 'map':
      return needsPlace(model.value);
    case 'union': {
      const nonNull = model.members.filter((m) => m.kind !== 'null');
      return nonNull.length === 1 && nonNull.length < model.members.length && needsPlace(nonNull[0]!);
    }
    default:
      return false;
  }
}

export interface PlacerOptions {
  /** `@persist({ resizable: true })`. */
  readonly resizable: boolean;
  /** The expression of a `@persist({ codec })` field's placer. */
  readonly fieldCodec: string;
  readonly valueName: (model: Extract<TypeModel, { kind: 'instance' }>) => string;
}

/** A placer expression (`$rt.placeArray($rt.placeTensor(['float32']))`) for a model {@link needsPlace} accepts. */
export function placerExpr(model: TypeModel, options: PlacerOptions): string {
  const sub = (m: TypeModel) => placerExpr(m, options);
  if (!needsPlace(model)) return `${rt('placeValue')}(${codecExpr(model, options.valueName)})`;
  switch (model.kind) {
    case 'tensor': {
      const dtypes = `[${model.dtypes.map(quote).join(', ')}]`;
      if (options.resizable) return `${rt('placeTensor')}(${dtypes}, true)`;
      return model.dtypes.length === 0 ? `${rt('placeTensor')}()` : `${rt('placeTensor')}(${dtypes})`;
    }
    case 'valueKind':
      return model.name === undefined ? options.fieldCodec : `${rt('placeKind')}(${quote(model.name)})`;
    case 'array':
      return `${rt('placeArray')}(${sub(model.element)})`;
    case 'tuple': {
      const required = model.elements.filter((e) => !e.optional).length;
      const elements = `[${model.elements.map((e) => sub(e.type)).join(', ')}]`;
      return required === model.elements.length ? `${rt('placeTuple')}(${elements})` : `${rt('placeTuple')}(${elements}, ${required})`;
    }
    case 'object': {
      const props = model.properties.map(
        (p) => `{ key: ${quote(p.name)}, placer: ${sub(p.type)}${p.optional ? ', optional: true' : ''} }`,
      );
      const list = `[${props.join(', ')}]`;
      if (!model.index) return `${rt('placeObject')}(${list})`;
      return `${rt('placeObject')}(${list}, ${sub(model.index)}${options.resizable ? ', true' : ''})`;
    }
    case 'map':
      return `${rt('placeMap')}(${codecExpr(model.key, options.valueName)}, ${sub(model.value)}${options.resizable ? ', true' : ''})`;
    case 'union':
      return `${rt('placeNullable')}(${sub(model.members.find((m) => m.kind !== 'null')!)})`;
    default:
      throw new Error(`placerExpr: ${model.kind} needs no placer`);
  }
}

/** The runtime slot of a field holding @stateful values in a collection (`$rt.statefulArray<S>('Head')`). */
export function statefulSlotExpr(model: Extract<TypeModel, { kind: 'statefuls' }>, stateType: string): string {
  const name = quote(model.elements[0]!.className);
  switch (model.shape) {
    case 'array':
      return `${rt('statefulArray')}<${stateType}>(${name})`;
    case 'tuple':
      return `${rt('statefulTuple')}<${stateType}>([${model.elements.map((e) => quote(e.className)).join(', ')}])`;
    case 'record':
      return `${rt('statefulRecord')}<${stateType}>(${name})`;
    case 'map':
      return `${rt('statefulMap')}<${stateType}>(${codecExpr(model.key!, () => '')}, ${name})`;
    case 'nullable':
      return `${rt('statefulNullable')}<${stateType}>(${name})`;
  }
}
