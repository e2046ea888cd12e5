// Decoded fieldsV1 by their JSON text. Objects written from one template carry identical
// managedFields, and every write decodes all of an object's entries: parsing each set once saves
// most of that. Safe because a decoded FieldSet is never modified (set operations build new sets).
import { FieldSet } from './fieldpath';
import { Lru } from '../../protocol/lru';

const cache = new Lru<string, FieldSet>(4096);

/** FieldSet.fromFieldsV1, remembered for the most recently used texts. */
export function decodeFieldsV1(json: unknown): FieldSet {
  const text = JSON.stringify(json);
  if (text === undefined) return FieldSet.fromFieldsV1(json);
  const hit = cache.get(text);
  if (hit) return hit;
  const set = FieldSet.fromFieldsV1(json);
  cache.set(text, set);
  return set;
}
