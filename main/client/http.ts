// The API client over HTTPS with a bearer token: the project's own TypeScript client, used by the
// CLI, benchmarks, tests and node agents. No runtime imports from the rest of main/.
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createSecureContext, type ConnectionOptions, type SecureContext } from 'node:tls';
import { constants as h2constants } from 'node:http2';
import type { ApiObject, KList, KObject, Status, WatchEvent } from '../api/types';
import type { ApiClient, DeleteOpts, ListOptions, PatchKind, PatchOpts, ResourceRef, WatchHandle, WatchOptions, WriteOpts } from './types';
import { ClientError, PATCH_MEDIA_TYPES } from './types';
import type { ApiCredentials } from './credentials';
import { authHeaders, tlsOptions } from './credentials';
import { connectionDropped, Http2Transport, type Http2HealthCheck } from './http2-transport';
import { ReachabilityProbe } from './reachability';

export interface HttpClientOptions extends ApiCredentials {
  /** https://127.0.0.1:6443 */
  server: string;
  /** Concurrent connections kept open. Default 16. */
  maxSockets?: number;
  /** Fail an ordinary request (not a watch) that has seen no socket activity for this long. Default: no limit. */
  requestTimeoutMs?: number;
  userAgent?: string;
  /**
   * Requests and watches over HTTP/2 on `maxSockets` connections (default 1), as client-go does: every watch a stream of
   * the one connection. Default: HTTP/1.1, each watch on a connection of its own.
   */
  http2?: boolean;
  /** When an HTTP/2 connection is pinged and given up (default client-go's: quiet 30 s, ping unanswered 15 s). */
  http2HealthCheck?: Http2HealthCheck;
}

export function resourcePath(r: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class HttpClient implements ApiClient {
  readonly agent: https.Agent;
  private readonly url: URL;
  private readonly h2?: Http2Transport;
  private reachability?: ReachabilityProbe;
  /** The CA, certificate and key parsed once for every connection (Node parses them again for each otherwise). */
  private readonly secureContext: SecureContext;

  constructor(readonly opts: HttpClientOptions) {
    this.url = new URL(opts.server);
    const tls = tlsOptions(opts);
    this.secureContext = createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
    this.agent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16, ...tls, secureContext: this.secureContext });
    if (opts.http2) {
      const connections = opts.maxSockets ?? 1;
      this.h2 = new Http2Transport(this.url.origin, opts, { connections, secureContext: this.secureContext, health: opts.http2HealthCheck });
    }
  }

  close(): void {
    this.agent.destroy();
    this.h2?.close();
  }

  whenReachable(cb: () => void): () => void {
    this.reachability ??= new ReachabilityProbe(this.url.hostname.replace(/^\[|\]$/g, ''), Number(this.url.port || 443));
    return this.reachability.whenReachable(cb);
  }

  /** Credentials, Accept and User-Agent: what every request and watch sends. */
  private headers(accept: string): Record<string, string> {
    return { ...authHeaders(this.opts), Accept: accept, 'User-Agent': this.opts.userAgent ?? 'flotilla-client/0.1' };
  }

  /** A raw request; resolves with the status code, headers and body text. */
  request(method: string, path: string, body?: string, contentType = 'application/json', accept = 'application/json'): Promise<{ code: number; headers: IncomingMessage['headers']; text: string }> {
    const headers: Record<string, string | number> = this.headers(accept);
    if (body !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    if (this.h2) return this.h2.request(method, path, headers, body, this.opts.requestTimeoutMs);
    return new Promise((resolve, reject) => {
      const req = https.request({ host: this.url.hostname, port: this.url.port || 443, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      const limit = this.opts.requestTimeoutMs;
      if (limit) req.setTimeout(limit, () => req.destroy(new Error(`${method} ${path}: no answer in ${limit} ms`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body), contentType);
    const parsed = parseJson(res.text);
    if (res.code >= 400) throw toClientError(res.code, parsed, res.text);
    // Every call here answers with an object: none (a connection that went mid-answer) is an error, never a result.
    if (parsed === undefined || parsed === null || typeof parsed !== 'object') {
      if (!res.text) throw connectionDropped(`${method} ${path}: HTTP ${res.code} with an empty body`);
      throw new Error(`${method} ${path}: HTTP ${res.code} with a body that is not a JSON object: ${res.text.slice(0, 200)}`);
    }
    return parsed as T;
  }

  get<T extends ApiObject = KObject>(r: ResourceRef, name: string, namespace?: string): Promise<T> {
    return this.call<T>('GET', resourcePath(r, namespace, name));
  }

  getPath<T>(r: ResourceRef, name: string, rest: string, o: { namespace?: string; query?: Record<string, string | undefined> } = {}): Promise<T> {
    return this.call<T>('GET', resourcePath(r, o.namespace, name, rest) + query(o.query ?? {}));
  }

  list<T extends ApiObject = KObject>(r: ResourceRef, o: ListOptions = {}): Promise<KList<T>> {
    return this.call<KList<T>>('GET', resourcePath(r, o.namespace) + query({
      labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, limit: o.limit, continue: o.continue,
      resourceVersion: o.resourceVersion, resourceVersionMatch: o.resourceVersionMatch,
    }));
  }

  create<T extends ApiObject = KObject>(r: ResourceRef, obj: T, o: WriteOpts = {}): Promise<T> {
    const ns = o.namespace ?? obj.metadata?.namespace;
    return this.call<T>('POST', resourcePath(r, ns) + query({ fieldManager: o.fieldManager, fieldValidation: o.fieldValidation, dryRun: o.dryRun ? 'All' : undefined }), obj);
  }

  update<T extends ApiObject = KObject>(r: ResourceRef, obj: T, o: WriteOpts = {}): Promise<T> {
    const ns = o.namespace ?? obj.metadata?.namespace;
    const name = obj.metadata?.name ?? '';
    return this.call<T>('PUT', resourcePath(r, ns, name, o.subresource) + query({ fieldManager: o.fieldManager, fieldValidation: o.fieldValidation, dryRun: o.dryRun ? 'All' : undefined }), obj);
  }

  patch<T extends ApiObject = KObject>(r: ResourceRef, name: string, patch: unknown, kind: PatchKind, o: PatchOpts = {}): Promise<T> {
    return this.call<T>('PATCH', resourcePath(r, o.namespace, name, o.subresource) + query({ fieldManager: o.fieldManager, fieldValidation: o.fieldValidation, force: o.force, dryRun: o.dryRun ? 'All' : undefined }), patch, PATCH_MEDIA_TYPES[kind]);
  }

  delete(r: ResourceRef, name: string, o: DeleteOpts = {}): Promise<KObject> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
    if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
    if (o.preconditions) body.preconditions = o.preconditions;
    return this.call<KObject>('DELETE', resourcePath(r, o.namespace, name), body);
  }

  async bind(namespace: string, pod: string, node: string): Promise<void> {
    await this.call('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: pod, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node },
    });
  }

  async evict(namespace: string, pod: string, gracePeriodSeconds?: number): Promise<void> {
    await this.call('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/eviction`, {
      apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace }, deleteOptions: gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds },
    });
  }

  watch<T extends ApiObject = KObject>(r: ResourceRef, o: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (err?: Error) => void): WatchHandle {
    let stopped = false;
    let closed = false;
    const close = (err?: Error) => {
      if (closed || stopped) return;
      closed = true;
      onClose(err);
    };
    const path = resourcePath(r, o.namespace) + query({
      watch: 'true', resourceVersion: o.resourceVersion, labelSelector: o.labelSelector, fieldSelector: o.fieldSelector,
      allowWatchBookmarks: o.allowWatchBookmarks, timeoutSeconds: o.timeoutSeconds,
    });
    const headers = this.headers('application/json');
    let cancel: () => void;
    const onResponse = (code: number, body: Readable) => {
      if (code < 400 && !stopped) o.onOpen?.();
      if (code >= 400) {
        const chunks: Buffer[] = [];
        body.on('data', (c: Buffer) => chunks.push(c));
        body.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          close(toClientError(code, parseJson(text), text));
        });
        return;
      }
      let buf = '';
      body.setEncoding('utf8');
      body.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim() || stopped) continue;
          const ev = JSON.parse(line) as WatchEvent<T>;
          if (ev.type === 'ERROR') {
            const st = ev.object as unknown as Status;
            close(new ClientError(st.code ?? 500, st.reason ?? 'InternalError', st.message ?? 'watch error', st));
            cancel();
            return;
          }
          onEvent(ev);
        }
      });
      body.on('end', () => close());
      body.on('error', (e) => close(e));
    };
    if (this.h2) {
      // A stream of the shared connection (client-go's watches share one too).
      const stream = this.h2.open('GET', path, headers);
      cancel = () => { if (!stream.closed) stream.close(h2constants.NGHTTP2_CANCEL); };
      stream.on('response', (h) => onResponse(Number(h[':status']), stream));
      stream.on('error', (e: Error) => close(e));
      // A session that went away (ping unanswered, server gone) closes its streams, with or without an error.
      stream.on('close', () => close(connectionDropped(`watch ${path}: the HTTP/2 stream closed (code ${stream.rstCode ?? 0})`)));
    } else {
      // HTTP/1.1: each watch gets its own connection so it never queues behind (or blocks) ordinary calls.
      const options: https.RequestOptions & Pick<ConnectionOptions, 'secureContext'> = {
        host: this.url.hostname, port: this.url.port || 443, method: 'GET', path, ...tlsOptions(this.opts), secureContext: this.secureContext, agent: false, headers,
      };
      const req = https.request(options, (res) => onResponse(res.statusCode ?? 0, res));
      cancel = () => req.destroy();
      req.on('error', (e) => close(e));
      req.end();
    }
    return {
      stop: () => {
        stopped = true;
        cancel();
      },
    };
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

function toClientError(code: number, body: unknown, text: string): ClientError {
  const st = body as Status | undefined;
  if (st && st.kind === 'Status') return new ClientError(code, st.reason ?? 'Unknown', st.message ?? text, st);
  return new ClientError(code, code === 401 ? 'Unauthorized' : 'Unknown', text || `HTTP ${code}`);
}
