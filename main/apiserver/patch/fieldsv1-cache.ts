// Decoded fieldsV1 by their JSON text. Objects written from one template carry identical
// managedFields, and every write decodes all of an object's entries: parsing each set once saves
// most of that. Safe because a decoded FieldSet is never modified (set operations build new sets).
import { FieldSet } from './fieldpath';

const MAX_ENTRIES = 4096;
const cache = new Map<string, FieldSet>();

/** FieldSet.fromFieldsV1, remembered for the most recently used texts. */
export function decodeFieldsV1(json: unknown): FieldSet {
  const text = JSON.stringify(json);
  if (text === undefined) return FieldSet.fromFieldsV1(json);
  const hit = cache.get(text);
  if (hit) {
    // Most recently used goes last; the first entry is the one to evict.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const set = FieldSet.fromFieldsV1(json);
  cache.set(text, set);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  return set;
}
