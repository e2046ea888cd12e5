// HTTP handling of resource paths: verbs on collections and objects, watch, tables, and the
// subresources that are the object itself (status, …). Other subresources live in subresources.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../../api/resources';
import type { KObject, StoredObject } from '../../api/types';
import { buildTable } from '../tables';
import { managerOrUserAgent } from '../patch/manager-name';
import { ApiError, errors } from '../status';
import type { RequestInfo } from '../request';
import { decodeBody, isObject, readBody } from '../request';
import type { DeleteOptions, PatchType, PropagationPolicy, WatchQuery, WriteOptions } from '../registry/options';
import { PATCH_CONTENT_TYPES } from '../registry/options';
import { startWatch } from '../registry/watch';
import type { ApiContext } from '../context';
import type { Identity } from '../auth';
import type { Requester } from '../authz/escalation';
import { everyBookmarkPeriod } from './bookmark-ticker';
import { addWarnings, sendJson } from './respond';
import { TABLE_CONTENT_TYPE, includeObject, wantsTable } from './negotiate';
import { listOptions, watchOptions } from './list-options';
import { queryFlag } from '../query-bool';

export function writeOptions(req: IncomingMessage, q: URLSearchParams): WriteOptions {
  const fv = q.get('fieldValidation');
  const dryRun = q.getAll('dryRun');
  return {
    dryRun: dryRun.includes('All'),
    fieldManager: managerOrUserAgent(q.get('fieldManager') ?? undefined, req.headers['user-agent']) || 'unknown',
    fieldValidation: fv === 'Strict' || fv === 'Ignore' || fv === 'Warn' ? (fv) : undefined,
  };
}

export function sendObject(req: IncomingMessage, res: ServerResponse, r: ResourceInfo, obj: StoredObject | KObject, code = 200): void {
  if (wantsTable(req)) {
    const table = buildTable(r, [obj], { includeObject: 'Metadata', resourceVersion: obj.metadata?.resourceVersion });
    sendJson(res, code, table, TABLE_CONTENT_TYPE);
    return;
  }
  sendJson(res, code, obj);
}

/** The patch kind named by the request's Content-Type; 415 for anything else (and for a strategic patch of a CRD's resource). */
export function patchType(req: IncomingMessage, r: Pick<ResourceInfo, 'crd'>): PatchType {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim();
  const type = PATCH_CONTENT_TYPES[ct];
  if (r.crd && (!type || type === 'strategic')) throw errors.unsupportedPatchOfCustomResource();
  if (!type) throw errors.unsupportedMediaType(ct);
  return type;
}

export async function body(req: IncomingMessage): Promise<unknown> {
  return decodeBody(await readBody(req), req.headers['content-type']);
}

/**
 * A patch body. One that is not JSON is refused as kube-apiserver's patchers refuse it: a merge patch with
 * "error decoding patch: <why>" (its strict decoding; "Invalid JSON Patch" when fieldValidation is Ignore), a JSON or
 * strategic merge patch with encoding/json's words alone.
 */
export async function patchBody(req: IncomingMessage, type: PatchType, q: URLSearchParams): Promise<unknown> {
  const wording = (go: string) => (type !== 'merge' ? go : q.get('fieldValidation') === 'Ignore' ? 'Invalid JSON Patch' : `error decoding patch: ${go}`);
  return decodeBody(await readBody(req), req.headers['content-type'], wording);
}

export async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const opts: DeleteOptions = {};
  const raw = await readBody(req);
  if (raw.length && raw.toString('utf8').trim()) {
    const b = decodeBody(raw, req.headers['content-type']);
    if (isObject(b)) {
      if (typeof b.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = b.gracePeriodSeconds;
      if (typeof b.propagationPolicy === 'string') opts.propagationPolicy = b.propagationPolicy as PropagationPolicy;
      // The deprecated orphanDependents: true orphans, false does not (overriding a kind's default of orphaning).
      if (b.orphanDependents === true) opts.propagationPolicy = 'Orphan';
      else if (b.orphanDependents === false) opts.propagationPolicy ??= 'Background';
      if (isObject(b.preconditions)) opts.preconditions = b.preconditions;
      if (Array.isArray(b.dryRun) && b.dryRun.includes('All')) opts.dryRun = true;
    }
  }
  const g = q.get('gracePeriodSeconds');
  if (g !== null) opts.gracePeriodSeconds = Number(g);
  const p = q.get('propagationPolicy');
  if (p) opts.propagationPolicy = p as PropagationPolicy;
  const orphan = q.get('orphanDependents');
  if (orphan === 'true') opts.propagationPolicy = 'Orphan';
  else if (orphan === 'false') opts.propagationPolicy ??= 'Background';
  if (q.getAll('dryRun').includes('All')) opts.dryRun = true;
  if (opts.propagationPolicy && !['Background', 'Foreground', 'Orphan'].includes(opts.propagationPolicy)) {
    throw errors.badRequest(`propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  return opts;
}

/** Who writes, for the kinds whose strategies check it (RBAC); none when the server authorizes no one. */
export function requesterOf(ctx: ApiContext, identity: Identity, info: RequestInfo): Requester | undefined {
  return ctx.auth ? { user: identity, authorizer: ctx.auth.authorizer, requestName: info.name ?? '' } : undefined;
}

export async function handleResource(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo, identity: Identity,
): Promise<void> {
  const reg = ctx.registry;
  const requester = requesterOf(ctx, identity, info);
  const ns = r.namespaced ? info.namespace : undefined;
  const q = info.query;
  if (r.namespaced && info.name && !info.namespace && info.verb !== 'list' && info.verb !== 'watch') {
    throw errors.notFound(r.group, r.plural, info.name);
  }
  switch (info.verb) {
    case 'get': {
      sendObject(req, res, r, reg.get(r, ns, info.name!));
      return;
    }
    case 'list': {
      const list = reg.list(r, ns, listOptions(q));
      if (wantsTable(req)) {
        const { resourceVersion, continue: continueToken } = list.metadata;
        const table = buildTable(r, list.items, { includeObject: includeObject(q), resourceVersion, continueToken });
        sendJson(res, 200, table, TABLE_CONTENT_TYPE);
      } else {
        sendJson(res, 200, list);
      }
      return;
    }
    case 'watch': {
      serveWatch(ctx, req, res, r, ns, watchOptions(q, info.name));
      return;
    }
    case 'create': {
      const result = await reg.create(r, ns, await body(req), { ...writeOptions(req, q), bodyOwned: true, requester });
      addWarnings(res, result.warnings);
      sendObject(req, res, r, result.object, 201);
      return;
    }
    case 'update': {
      const result = await reg.update(r, ns, info.name!, await body(req), { ...writeOptions(req, q), bodyOwned: true, requester });
      addWarnings(res, result.warnings);
      sendObject(req, res, r, result.object);
      return;
    }
    case 'patch': {
      const type = patchType(req, r);
      const result = await reg.patch(r, ns, info.name!, await patchBody(req, type, q), type, { ...writeOptions(req, q), force: queryFlag(q, 'force'), requester });
      addWarnings(res, result.warnings);
      sendObject(req, res, r, result.object, result.created ? 201 : 200);
      return;
    }
    case 'delete': {
      const result = await reg.delete(r, ns, info.name!, { ...await deleteOptions(req, q), requester });
      sendJson(res, result.deleted ? 200 : 202, result.object);
      return;
    }
    case 'deletecollection': {
      const list = await reg.deleteCollection(r, ns, listOptions(q), { ...await deleteOptions(req, q), requester });
      sendJson(res, 200, list);
      return;
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/**
 * A subresource that is the object itself, of which a write changes only a part (status, namespaces/
 * finalize, pods/ephemeralcontainers): GET, PUT and PATCH of the object; the registry, with the kind's
 * strategy, keeps what the subresource may not change.
 */
export async function handleObjectSubresource(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo, r: ResourceInfo, identity: Identity,
): Promise<void> {
  const ns = r.namespaced ? info.namespace : undefined;
  const q = info.query;
  const name = info.name!;
  const subresource = info.subresource;
  const requester = requesterOf(ctx, identity, info);
  switch (info.verb) {
    case 'get':
      sendObject(req, res, r, ctx.registry.get(r, ns, name));
      return;
    case 'update': {
      const result = await ctx.registry.update(r, ns, name, await body(req), { ...writeOptions(req, q), subresource, bodyOwned: true, requester });
      sendObject(req, res, r, result.object);
      return;
    }
    case 'patch': {
      const type = patchType(req, r);
      const result = await ctx.registry.patch(r, ns, name, await patchBody(req, type, q), type, { ...writeOptions(req, q), subresource, force: queryFlag(q, 'force'), requester });
      sendObject(req, res, r, result.object);
      return;
    }
    default:
      throw errors.methodNotAllowed();
  }
}

/** A watch answered in another version than the stored one (api/resources.ts CONVERTED_RESOURCES): its apiVersion and conversion. */
export interface ServedAs {
  apiVersion: string;
  /** The conversion of each event's object, in the process (one per object and version, shared by every watcher). */
  convert?: (obj: KObject) => KObject;
  /** Or an asynchronous one (a CRD's conversion webhook): events wait for the ones before them. */
  convertAsync?: (obj: KObject) => Promise<KObject>;
  /** The row whose columns tables take (a CRD version's own); unset: the stored kind's. */
  tableResource?: ResourceInfo;
}

/** A watch of the stored resource `r`; with `served`, objects and bookmarks are answered in that version (tables stay the kind's). */
export function serveWatch(
  ctx: ApiContext, req: IncomingMessage, res: ServerResponse, r: ResourceInfo, ns: string | undefined, q: WatchQuery, served?: ServedAs,
): void {
  const table = wantsTable(req);
  let sentColumns = false;
  const lines: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!lines.length || res.destroyed) return;
    res.write(lines.join(''));
    lines.length = 0;
  };
  const push = (line: string) => {
    lines.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  /** One event's line; `shown` is the object already converted to the served version (asynchronously). */
  const encodeEvent = (type: string, obj: KObject, shown?: KObject): string => {
    if (!table || type === 'BOOKMARK' || type === 'ERROR') {
      const convert = served?.convert;
      const json = shown ? JSON.stringify(shown) : convert && type !== 'BOOKMARK' && type !== 'ERROR' ? jsonOfServed(obj, served.apiVersion, convert) : jsonOf(obj);
      return `{"type":"${type}","object":${json}}\n`;
    }
    const t = buildTable(served?.tableResource ?? r, [shown ?? obj], { includeObject: 'Metadata', resourceVersion: obj.metadata?.resourceVersion, omitColumnDefinitions: sentColumns });
    sentColumns = true;
    return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
  };
  const apiVersion = served?.apiVersion ?? (r.group ? `${r.group}/${r.version}` : r.version);
  const bookmark = (resourceVersion: string, annotations?: Record<string, string>): KObject =>
    ({ kind: r.kind, apiVersion, metadata: annotations ? { resourceVersion, annotations } : { resourceVersion } });
  // sendInitialEvents: the end of the initial state is a bookmark so annotated (for clients that take bookmarks).
  // Events go out in order: while an asynchronous conversion is pending, the events after it wait their turn.
  let pending = Promise.resolve();
  let waiting = 0;
  const later = (f: () => Promise<void> | void) => {
    waiting++;
    pending = pending.then(f).finally(() => { waiting--; });
  };
  const emit = (type: string, obj: KObject): void => {
    const convertAsync = served?.convertAsync;
    if (convertAsync && type !== 'BOOKMARK' && type !== 'ERROR') {
      const shown = convertAsync(obj); // started now, written in turn
      shown.catch(() => undefined);
      later(async () => {
        try {
          push(encodeEvent(type, obj, await shown));
        } catch (e) {
          // A conversion that fails ends the watch with its Status, as kube-apiserver's watch does.
          push(`{"type":"ERROR","object":${JSON.stringify(e instanceof ApiError ? e.toStatus() : errors.internal(String(e)).toStatus())}}\n`);
          stop();
        }
      });
      return;
    }
    if (waiting) later(() => push(encodeEvent(type, obj)));
    else push(encodeEvent(type, obj));
  };
  const onSynced = q.sendInitialEvents && q.allowWatchBookmarks
    ? (revision: number) => emit('BOOKMARK', bookmark(String(revision), { 'k8s.io/initial-events-end': 'true' }))
    : undefined;
  let dispose: () => void = () => undefined;
  try {
    dispose = startWatch(ctx.registry, ctx.store, r, ns, q, (ev) => emit(ev.type, ev.object), onSynced);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 410)) throw e;
    // An expired resourceVersion is reported inside the stream, as Kubernetes does.
    res.writeHead(200, { 'Content-Type': 'application/json' }); // streamed: chunked on HTTP/1.1, DATA frames on HTTP/2
    res.end(`{"type":"ERROR","object":${JSON.stringify(e.toStatus())}}\n`);
    return;
  }
  res.writeHead(200, { 'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  flush();
  const timers: NodeJS.Timeout[] = [];
  let stopBookmarks: (() => void) | undefined;
  const stop = () => {
    dispose();
    for (const t of timers) clearTimeout(t);
    stopBookmarks?.();
    if (!res.writableEnded) {
      flush();
      res.end();
    }
  };
  const timeout = q.timeoutSeconds && q.timeoutSeconds > 0 ? q.timeoutSeconds * 1000 : ctx.watchTimeoutMs;
  timers.push(setTimeout(stop, timeout));
  if (q.allowWatchBookmarks) {
    // As kube-apiserver's watch cache: a bookmark every bookmarkIntervalMs (on the timer every watch shares, as the
    // cacher's one dispatch loop: bookmark-ticker.ts), and one 2 s before the deadline so the client resumes from the
    // newest revision.
    const send = () => emit('BOOKMARK', bookmark(String(ctx.store.revision)));
    stopBookmarks = everyBookmarkPeriod(ctx.bookmarkIntervalMs, send);
    if (timeout > 2000) timers.push(setTimeout(send, timeout - 2000));
  }
  req.on('close', stop);
  res.on('close', stop);
}

// Many watchers get the same object: serialise it once.
const jsonCache = new WeakMap<object, string>();
function jsonOf(obj: KObject): string {
  let s = jsonCache.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    jsonCache.set(obj, s);
  }
  return s;
}

// The same for watches answered in a served version: one conversion per object and version.
const servedJsonCache = new WeakMap<object, Map<string, string>>();
function jsonOfServed(obj: KObject, apiVersion: string, convert: (obj: KObject) => KObject): string {
  let byVersion = servedJsonCache.get(obj);
  if (!byVersion) {
    byVersion = new Map<string, string>();
    servedJsonCache.set(obj, byVersion);
  }
  let s = byVersion.get(apiVersion);
  if (s === undefined) {
    s = JSON.stringify(convert(obj));
    byVersion.set(apiVersion, s);
  }
  return s;
}
