// Checks an applied configuration the way structured-merge-diff types it: every item of an
// associative list names all its keys (or has a default for them), and no key appears twice.
import { PatchError } from './errors';
import { isObject } from './json';
import { field, pathToString, serializePathElement, type PathElement } from './fieldpath';
import type { PatchMeta } from './patchmeta';
import { isAssociativeList, isGranularMap, itemElement } from './typed-walk';

export function validateAppliedConfig(value: unknown, meta: PatchMeta, what: string): void {
  const problem = walk(value, meta, []);
  if (problem) throw new PatchError(`failed to create typed patch object (${what}): ${problem}`);
}

function walk(value: unknown, meta: PatchMeta, path: PathElement[]): string | undefined {
  if (isAssociativeList(meta, value)) {
    const seen = new Set<string>();
    for (const [i, item] of value.entries()) {
      if (meta.listType === 'map' && isObject(item)) {
        for (const k of meta.mapKeys ?? []) {
          if ((item[k] === undefined || item[k] === null) && meta.keyDefaults?.[k] === undefined) {
            return `${pathToString(path)}: element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`;
          }
        }
      }
      const pe = itemElement(meta, item);
      const key = serializePathElement(pe);
      if (seen.has(key)) return `${pathToString(path)}: duplicate entries for key ${pathToString([pe])}`;
      seen.add(key);
      const inner = walk(item, meta.elem(), [...path, pe]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isGranularMap(meta, value)) {
    for (const [k, v] of Object.entries(value)) {
      const inner = walk(v, meta.child(k), [...path, field(k)]);
      if (inner) return inner;
    }
  }
  return undefined;
}
