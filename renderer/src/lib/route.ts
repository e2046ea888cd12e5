// Where the person is, as a URL hash and back: `#/<view>?ns=a,b&q=<search>&open=<object>`. The hash
// (not the path) so that it works on Electron's file:// page and beside web mode's `?token=`.
// `open` names an object as the API's path does: `[<group>/]<version>/<resource>/[<namespace>/]<name>`
// (`v1/pods/default/web-1`, `v1/nodes/node-1`, `apps/v1/deployments/default/web`). Pure.

export interface ObjectRef {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name: string;
}

/** The drawer's object: a pod and a node have their own detail views; any other kind is generic. */
export type Detail =
  | { type: 'pod'; namespace: string; name: string }
  | { type: 'node'; name: string }
  | ({ type: 'object' } & ObjectRef)
  | undefined;

export interface RouteState<V extends string = string> {
  view: V;
  detail: Detail;
  /** Namespaces shown; empty: all. */
  namespaces: string[];
  query: string;
}

const VERSION = /^v\d+((alpha|beta)\d+)?$/;

export function detailRef(d: Exclude<Detail, undefined>): ObjectRef {
  if (d.type === 'pod') return { group: '', version: 'v1', resource: 'pods', namespace: d.namespace, name: d.name };
  if (d.type === 'node') return { group: '', version: 'v1', resource: 'nodes', name: d.name };
  const { type: _t, ...ref } = d;
  return ref;
}

export function refPath(r: ObjectRef): string {
  return [r.group, r.version, r.resource, r.namespace, r.name].filter((s) => s !== undefined && s !== '').map((s) => encodeURIComponent(s as string)).join('/');
}

/** An object path back into a detail; undefined when it is not one. */
export function parseRefPath(path: string): Detail {
  let parts: string[];
  try {
    parts = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '')) return undefined;
  const group = VERSION.test(parts[0] ?? '') ? '' : parts.shift() ?? '';
  const version = parts.shift() ?? '';
  if (!VERSION.test(version) || parts.length < 2 || parts.length > 3) return undefined;
  const [resource, a, b] = parts;
  const ref: ObjectRef = b === undefined ? { group, version, resource, name: a } : { group, version, resource, namespace: a, name: b };
  if (group === '' && version === 'v1' && resource === 'pods' && ref.namespace !== undefined) return { type: 'pod', namespace: ref.namespace, name: ref.name };
  if (group === '' && version === 'v1' && resource === 'nodes' && ref.namespace === undefined) return { type: 'node', name: ref.name };
  return { type: 'object', ...ref };
}

/** The state as a hash (`#/map?…`); parameters only when they say something. */
export function toHash<V extends string>(s: RouteState<V>): string {
  const params: string[] = [];
  if (s.namespaces.length) params.push(`ns=${s.namespaces.map(encodeURIComponent).join(',')}`);
  if (s.query) params.push(`q=${encodeURIComponent(s.query)}`);
  if (s.detail) params.push(`open=${refPath(detailRef(s.detail))}`);
  return `#/${encodeURIComponent(s.view)}${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * A hash back into state. An unknown or missing view becomes `fallback`; parameters that do not
 * parse are left out. `namespaces` is undefined when the hash does not say (so a remembered choice
 * may apply), `[]` for "all".
 */
export function fromHash<V extends string>(hash: string, isView: (v: string) => v is V, fallback: V): Omit<RouteState<V>, 'namespaces'> & { namespaces?: string[] } {
  const body = hash.replace(/^#\/?/, '');
  const qAt = body.indexOf('?');
  const path = qAt < 0 ? body : body.slice(0, qAt);
  const search = qAt < 0 ? '' : body.slice(qAt + 1);
  let view: string;
  try {
    view = decodeURIComponent(path.split('/')[0] ?? '');
  } catch {
    view = '';
  }
  const out: Omit<RouteState<V>, 'namespaces'> & { namespaces?: string[] } = { view: isView(view) ? view : fallback, detail: undefined, query: '' };
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (key === 'open') out.detail = parseRefPath(raw);
    else if (key === 'q') out.query = safeDecode(raw) ?? '';
    else if (key === 'ns') out.namespaces = raw.split(',').map(safeDecode).filter((n): n is string => !!n);
  }
  return out;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
