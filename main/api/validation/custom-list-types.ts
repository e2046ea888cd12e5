// The uniqueness a CRD schema's x-kubernetes-list-type promises (apiextensions' ValidateListSetsAndMaps): a `set`
// holds no item twice (scalars by value, objects and lists by their JSON), a `map` no two items with the same values
// of its x-kubernetes-list-map-keys (an absent key counts as one value of its own). Each repeat after the first is
// `<path>[i]: Duplicate value: <the item, or for a map its keys>`, and a map's items must be objects.
import type { JSONSchemaProps } from '../types';
import type { Cause } from './cause';
import { duplicate, invalid } from './cause';
import { canonical } from './custom-object-extras';
import { goInterface } from './gofmt';
import { isObj } from './read';

const ext = (s: JSONSchemaProps): Record<string, unknown> => s as Record<string, unknown>;
const ABSENT = '\u0000absent';

/** The indices of the second appearance of each repeated value (compared by `key`). */
function repeats(values: readonly unknown[], key: (v: unknown) => string): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const k = key(v);
    const times = seen.get(k) ?? 0;
    seen.set(k, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

function checkMapList(schema: JSONSchemaProps, list: unknown[], path: string, causes: Cause[]): void {
  const bad = list.findIndex((x) => x !== null && !isObj(x));
  if (bad >= 0) { causes.push(invalid(`${path}[${bad}]`, goInterface(list[bad]), 'must be an object for an array of list-type map')); return; }
  const keys = Array.isArray(ext(schema)['x-kubernetes-list-map-keys']) ? ext(schema)['x-kubernetes-list-map-keys'] as string[] : [];
  const keyed = list.map((x) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) if (isObj(x) && x[k] !== undefined) o[k] = x[k];
    return o;
  });
  const single = keys.length === 1;
  for (const i of repeats(keyed, (o) => (single && !(keys[0] in (o as object)) ? ABSENT : canonical(o)))) {
    causes.push(duplicate(`${path}[${i}]`, goInterface(keyed[i])));
  }
}

function checkArray(schema: JSONSchemaProps, list: unknown[], path: string, causes: Cause[]): void {
  const type = ext(schema)['x-kubernetes-list-type'];
  if (type === 'set' && list.length > 1) {
    for (const i of repeats(list, canonical)) causes.push(duplicate(`${path}[${i}]`, isObj(list[i]) || Array.isArray(list[i]) ? goInterface(list[i]) : list[i]));
  } else if (type === 'map') checkMapList(schema, list, path, causes);
  const items = schema.items && !Array.isArray(schema.items) ? schema.items : undefined;
  if (items) list.forEach((x, i) => walk(items, x, `${path}[${i}]`, causes));
}

function walk(schema: JSONSchemaProps, v: unknown, path: string, causes: Cause[]): void {
  if (Array.isArray(v)) { checkArray(schema, v, path, causes); return; }
  if (!isObj(v)) return;
  const join = (k: string): string => (path ? `${path}.${k}` : k);
  for (const [k, x] of Object.entries(v)) {
    const sub = schema.properties?.[k] ?? (isObj(schema.additionalProperties) ? schema.additionalProperties : undefined);
    if (sub) walk(sub, x, join(k), causes);
  }
}

/** The duplicate items of every list-type set and map in a custom object (its root the whole object). */
export function listSetAndMapCauses(schema: JSONSchemaProps, obj: Record<string, unknown>): Cause[] {
  const causes: Cause[] = [];
  walk(schema, obj, '', causes);
  return causes;
}
