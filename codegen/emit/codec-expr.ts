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
