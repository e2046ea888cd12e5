// The search box's matching: whitespace-separated terms, all of which must match (AND). A term
// `key=value` matches a label with that key whose value contains `value`; any other term matches
// when the object's name, one of its images, or one of its labels (as `key=value`) contains it.
// Everything is case-insensitive. Pure, and cheap per object: the lower-cased text of an object is
// computed once per object (objects from the informers are replaced, never changed, on update).
import type { KObject } from '../../../main/api/types';

export interface SearchTerm {
  /** A label key that must be present (lower case), for `key=value` terms. */
  key?: string;
  /** The text to look for (lower case). */
  text: string;
}

export interface SearchFields {
  name: string;
  labels: Array<[string, string]>;
  /** Name, images and `key=value` labels, lower case, joined by newlines. */
  haystack: string;
}

/** The terms of a query; an empty query (or only spaces) has none and matches everything. */
export function parseQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const raw of query.toLowerCase().split(/\s+/)) {
    if (!raw) continue;
    const eq = raw.indexOf('=');
    if (eq > 0) terms.push({ key: raw.slice(0, eq), text: raw.slice(eq + 1) });
    else terms.push({ text: raw.replace(/^=/, '') });
  }
  return terms.filter((t) => t.key !== undefined || t.text !== '');
}

type Images = Array<{ image?: string }>;
interface Templated {
  spec?: { containers?: Images; initContainers?: Images; template?: { spec?: { containers?: Images } } };
}

/** Images of a pod (its containers and init containers) or of a workload's pod template. */
export function imagesOf(o: KObject): string[] {
  const spec = (o as Templated).spec;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.template?.spec?.containers ?? [])];
  return containers.map((c) => c.image ?? '').filter(Boolean);
}

const cache = new WeakMap<object, SearchFields>();

/** An object's searchable text, computed once per object. */
export function searchFields(o: KObject): SearchFields {
  let f = cache.get(o);
  if (f) return f;
  const name = (o.metadata?.name ?? '').toLowerCase();
  const labels = Object.entries(o.metadata?.labels ?? {}).map(([k, v]): [string, string] => [k.toLowerCase(), String(v).toLowerCase()]);
  const haystack = [name, ...imagesOf(o).map((i) => i.toLowerCase()), ...labels.map(([k, v]) => `${k}=${v}`)].join('\n');
  f = { name, labels, haystack };
  cache.set(o, f);
  return f;
}

export function matchesTerms(f: SearchFields, terms: SearchTerm[]): boolean {
  for (const t of terms) {
    if (t.key !== undefined) {
      if (!f.labels.some(([k, v]) => k === t.key && v.includes(t.text))) return false;
    } else if (!f.haystack.includes(t.text)) return false;
  }
  return true;
}

/** Whether an object matches a parsed query (no terms: everything matches). */
export function matches(o: KObject, terms: SearchTerm[]): boolean {
  return terms.length === 0 || matchesTerms(searchFields(o), terms);
}

/** Plain text (an event's object, reason and message) against the terms: `key=value` terms never match. */
export function textMatches(text: string, terms: SearchTerm[]): boolean {
  if (terms.length === 0) return true;
  const t = text.toLowerCase();
  return terms.every((term) => term.key === undefined && t.includes(term.text));
}
