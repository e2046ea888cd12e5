// Field selectors (`spec.nodeName=n1,status.phase!=Failed`) and the field labels each kind
// exposes, following apimachinery pkg/fields and the per-kind GetAttrs/field-label conversion funcs.
import type { KObject } from './types';
import type { ResourceInfo } from './resources';

export interface FieldTerm {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export interface FieldSelector {
  /** Terms sorted as Kubernetes sorts them (by their raw text). */
  readonly terms: readonly FieldTerm[];
  readonly empty: boolean;
  toString(): string;
}

export class FieldSelectorError extends Error {
  override name = 'FieldSelectorError';
}

/** Escape `\`, `,` and `=` in a value (fields.EscapeValue). */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Go prints the rune with %v, i.e. as its number.
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

function splitTerms(s: string): string[] {
  if (s.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') { terms.push(s.slice(start, i)); start = i + 1; }
  }
  terms.push(s.slice(start));
  return terms;
}

const OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: (typeof OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function termString(t: FieldTerm): string {
  return `${t.field}${t.op}${escapeFieldValue(t.value)}`;
}

function makeSelector(terms: FieldTerm[]): FieldSelector {
  return { terms, empty: terms.length === 0, toString: () => terms.map(termString).join(',') };
}

/** Parse `?fieldSelector=`. Throws FieldSelectorError with Kubernetes' message. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new FieldSelectorError(`invalid selector: '${s}'; can't understand '${part}'`);
    terms.push({ field: t.lhs, op: t.op === '!=' ? '!=' : '=', value: unescapeValue(t.rhs) });
  }
  return makeSelector(terms);
}

/** Selector of `field=value` terms (fields.SelectorFromSet). */
export function fieldSelectorFromSet(set: Record<string, string>): FieldSelector {
  return makeSelector(Object.keys(set).sort().map((k) => ({ field: k, op: '=' as const, value: set[k] ?? '' })));
}

/** Does an object's field set satisfy every term? A missing field reads as "". */
export function fieldSelectorMatches(fs: FieldSelector, fields: Record<string, string>): boolean {
  return fs.terms.every((t) => ((fields[t.field] ?? '') === t.value) === (t.op === '='));
}

/** The value a term requires exactly (`metadata.name=x`), if any — for index lookups. */
export function requiresExactMatch(fs: FieldSelector, field: string): string | undefined {
  return fs.terms.find((t) => t.field === field && t.op === '=')?.value;
}

// ---- field labels per kind ----

function rec(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

type Extractor = (obj: KObject) => Record<string, string>;

const KIND_FIELDS: Record<string, Extractor> = {
  Pod: (o) => {
    const spec = rec(o.spec);
    const status = rec(o.status);
    return {
      'spec.nodeName': str(spec.nodeName),
      'spec.restartPolicy': str(spec.restartPolicy),
      'spec.schedulerName': str(spec.schedulerName),
      'spec.serviceAccountName': str(spec.serviceAccountName),
      'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
      'status.phase': str(status.phase),
      'status.podIP': str(status.podIP),
      'status.nominatedNodeName': str(status.nominatedNodeName),
    };
  },
  Node: (o) => ({ 'spec.unschedulable': rec(o.spec).unschedulable === true ? 'true' : 'false' }),
  Event: (o) => {
    const io = rec(o.involvedObject);
    const source = rec(o.source);
    return {
      'involvedObject.kind': str(io.kind),
      'involvedObject.namespace': str(io.namespace),
      'involvedObject.name': str(io.name),
      'involvedObject.uid': str(io.uid),
      'involvedObject.apiVersion': str(io.apiVersion),
      'involvedObject.resourceVersion': str(io.resourceVersion),
      'involvedObject.fieldPath': str(io.fieldPath),
      reason: str(o.reason),
      reportingComponent: str(o.reportingComponent),
      source: str(source.component),
      type: str(o.type),
    };
  },
  Secret: (o) => ({ type: str(o.type) }),
  Namespace: (o) => ({ 'status.phase': str(rec(o.status).phase) }),
  ReplicaSet: (o) => ({ 'status.replicas': String(typeof rec(o.status).replicas === 'number' ? rec(o.status).replicas : 0) }),
  ReplicationController: (o) => ({ 'status.replicas': String(typeof rec(o.status).replicas === 'number' ? rec(o.status).replicas : 0) }),
  Machine: (o) => ({ 'spec.provider': str(rec(o.spec).provider), 'status.phase': str(rec(o.status).phase) }),
};

/**
 * A CRD version's selectable fields as field labels (`spec.color` for jsonPath `.spec.color`); undefined for a built-in
 * resource, whose labels are its kind's.
 */
export function customFieldLabels(r: Pick<ResourceInfo, 'crd' | 'crdVersion'>): readonly string[] | undefined {
  return r.crd ? (r.crdVersion?.selectableFields ?? []).map((f) => f.jsonPath.replace(/^\./, '')) : undefined;
}

/** A selectable field's value as apiextensions' GetAttrs gives it: fmt.Sprint of the value, "" when missing. */
function customFieldValue(obj: KObject, label: string): string {
  let v: unknown = obj;
  for (const step of label.split('.')) v = rec(v)[step];
  return v === undefined || v === null ? '' : str(v);
}

/**
 * The field labels of an object: metadata.name and metadata.namespace for all kinds, plus the kind's own — or, for a
 * custom resource (`custom` given), its version's selectable fields.
 */
export function fieldsOf(kind: string, obj: KObject, custom?: readonly string[]): Record<string, string> {
  const base: Record<string, string> = {
    'metadata.name': obj.metadata?.name ?? '',
    'metadata.namespace': obj.metadata?.namespace ?? '',
  };
  if (custom) {
    for (const label of custom) base[label] = customFieldValue(obj, label);
    return base;
  }
  const extra = KIND_FIELDS[kind];
  return extra ? { ...base, ...extra(obj) } : base;
}

const SUPPORTED: Record<string, ReadonlySet<string>> = Object.fromEntries(
  Object.entries(KIND_FIELDS).map(([k, f]) => [k, new Set(Object.keys(f({})))]),
);

/** The field labels a kind (or a custom resource's version, `custom`) supports in selectors. */
export function supportedFields(kind: string, custom?: readonly string[]): string[] {
  return ['metadata.name', 'metadata.namespace', ...(custom ?? SUPPORTED[kind] ?? [])];
}

/** The first term naming a field the kind does not support (answer 400 `field label not supported: X`). */
export function unsupportedField(kind: string, fs: FieldSelector, custom?: readonly string[]): string | undefined {
  const ok = new Set(supportedFields(kind, custom));
  return fs.terms.find((t) => !ok.has(t.field))?.field;
}
