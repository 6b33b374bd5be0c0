/** The placer of a `@persist({ codec })` field, read from the field's metadata (the kind object is only known at run time). */
import { StateDeclarationError } from '../errors.js';
import { type Constructor, type PersistedField, persistedFields } from '../metadata.js';
import { type Placer, placeCodec } from './places.js';

const placers = new WeakMap<PersistedField, Placer<object, unknown>>();

export function persistedCodec(self: object, property: string): Placer<unknown, unknown> {
  const ctor = self.constructor as Constructor;
  const field = persistedFields(ctor).find((f) => f.property === property);
  if (field?.codec === undefined) {
    throw new StateDeclarationError(ctor.name, `${property} has no @persist({ codec }), but its generated code expects one: run \`npx kindling codegen\``);
  }
  let placer = placers.get(field);
  if (placer === undefined) {
    placer = placeCodec(field.codec);
    placers.set(field, placer);
  }
  // The field's static type is unknown to the generated code; the kind checks values itself (isValue on save).
  return placer as Placer<unknown, unknown>;
}
