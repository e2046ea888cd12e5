// kube-aggregator in the API server: requests for a group version whose APIService names a Service are proxied to that
// service (proxy.ts), as the user who made them (the front proxy's X-Remote-* headers and client certificate); the
// availability controller's discovery check is made here, and what each server answered is kept for discovery.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type * as tls from 'node:tls';
import { isRemote, availableConditionOf } from '../../api/apiservices';
import { resourceFor } from '../../api/resources';
import type { APIService, Service } from '../../api/types';
import type { Store } from '../../store/types';
import type { Identity } from '../auth';
import type { Pki } from '../pki';
import { ParsedCache } from '../registry/parsed-cache';
import { decode } from '../registry/objects';
import { storageKey, storagePrefix } from '../../api/resources';
import type { ServiceDialer } from '../webhooks/types';
import { backendOf } from './transport';
import type { TransportDeps } from './transport';
import { proxyToBackend } from './proxy';
import type { RemoteResourceList } from './remote-discovery';

const API_SERVICES = resourceFor('apiregistration.k8s.io', 'v1', 'apiservices')!;
const SERVICES = resourceFor('', 'v1', 'services')!;
/** A group version's requests, and its OpenAPI v3 document (served by its server too). */
const GROUP_VERSION_PATH = /^(?:\/openapi\/v3)?\/apis\/([^/]+)\/([^/]+)(?:\/|$)/;
/** kube-aggregator's discovery client timeout. */
const DISCOVERY_TIMEOUT_MS = 5000;

export interface AggregatorOptions {
  store: Store;
  frontProxy: Pki['frontProxy'];
  /** The dialer service webhooks use (set once nodes run); read at each connection. */
  dialService: () => ServiceDialer | undefined;
}

export interface RemoteGroupVersion {
  apiService: APIService;
  /** What its server last answered at /apis/<group>/<version>, and whether that is its latest answer. */
  discovered?: { list: RemoteResourceList; fresh: boolean };
}

export class Aggregator {
  private readonly apiServices: ParsedCache<APIService>;
  private remote: Map<string, APIService> | undefined;
  private readonly discovered = new Map<string, { list: RemoteResourceList; fresh: boolean }>();
  private readonly deps: TransportDeps;
  private readonly stopWatch: () => void;

  constructor(opts: AggregatorOptions) {
    this.apiServices = new ParsedCache(opts.store, API_SERVICES);
    this.deps = {
      frontProxy: opts.frontProxy, dialService: opts.dialService,
      service: (ns, name) => {
        const kv = opts.store.get(storageKey(SERVICES, ns, name));
        return kv ? (decode(kv) as unknown as Service) : undefined;
      },
    };
    // Any APIService write makes the remote set be read again at the next request.
    this.stopWatch = opts.store.watch(storagePrefix(API_SERVICES), opts.store.revision, () => { this.remote = undefined; });
  }

  close(): void {
    this.stopWatch();
  }

  /** The remote APIServices by `<group>/<version>`. */
  private remotes(): Map<string, APIService> {
    if (!this.remote) {
      this.remote = new Map();
      for (const a of this.apiServices.all()) if (isRemote(a)) this.remote.set(`${a.spec.group ?? ''}/${a.spec.version ?? ''}`, a);
      for (const name of this.discovered.keys()) if (![...this.remote.values()].some((a) => a.metadata?.name === name)) this.discovered.delete(name);
    }
    return this.remote;
  }

  /** The remote APIService serving this request's path (`/apis/<group>/<version>/…`, `/openapi/v3/apis/<group>/<version>`), if any. */
  remoteFor(path: string): APIService | undefined {
    const m = GROUP_VERSION_PATH.exec(path);
    if (!m) return undefined;
    const remotes = this.remotes();
    return remotes.size ? remotes.get(`${m[1]}/${m[2]}`) : undefined;
  }

  /** The /openapi/v3 index's paths of the remote group versions that are Available (`apis/<group>/<version>`). */
  openapiPaths(): string[] {
    return [...this.remotes().values()].filter((a) => availableConditionOf(a)?.status === 'True').map((a) => `apis/${a.spec.group ?? ''}/${a.spec.version ?? ''}`);
  }

  /** Every remote group version, with what its server answered discovery with. */
  remoteGroupVersions(): RemoteGroupVersion[] {
    return [...this.remotes().values()].map((a) => ({ apiService: a, discovered: this.discovered.get(a.metadata?.name ?? '') }));
  }

  /**
   * The availability controller's discovery check: GET /apis/<group>/<version> as system:kube-aggregator in
   * system:masters, 2xx within 5 s, kube-aggregator's messages otherwise. The answer is kept for discovery.
   */
  async checkDiscovery(a: APIService): Promise<void> {
    const name = a.metadata?.name ?? '';
    const backend = backendOf(a, this.deps);
    const path = `/apis/${a.spec.group ?? ''}/${a.spec.version ?? ''}`;
    const url = `${backend.origin}${path}`;
    try {
      const list = parseResourceList(await this.fetch(() => backend.connect(), path, url));
      if (list) this.discovered.set(name, { list, fresh: true });
    } catch (e) {
      const had = this.discovered.get(name);
      if (had) had.fresh = false;
      throw e;
    }
  }

  /** GET `path` on a new connection within the discovery timeout; kube-aggregator's words for what fails. */
  private fetch(connect: () => Promise<tls.TLSSocket>, path: string, url: string): Promise<string> {
    const failing = (cause: string) => new Error(`failing or missing response from ${url}: ${cause}`);
    return new Promise<string>((resolve, reject) => {
      let socket: tls.TLSSocket | undefined;
      let done = false;
      const finish = (e: Error | undefined, body?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket?.destroy();
        if (e) reject(e);
        else resolve(body ?? '');
      };
      const timer = setTimeout(() => finish(failing(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)), DISCOVERY_TIMEOUT_MS);
      connect().then((s) => {
        socket = s;
        if (done) return void s.destroy();
        let answer: IncomingMessage | undefined;
        const req = https.request({
          method: 'GET', path, createConnection: () => s,
          headers: { Accept: 'application/json', 'X-Remote-User': 'system:kube-aggregator', 'X-Remote-Group': 'system:masters' },
        }, (res) => {
          answer = res;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => finish(failing(`Get "${url}": ${e.message}`)));
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            if (code < 200 || code >= 300) finish(failing(`bad status from ${url}: ${code}`));
            else finish(undefined, Buffer.concat(chunks).toString('utf8'));
          });
        });
        // The connection closed once the answer is whole is no failure: its end is on its way.
        req.on('error', (e) => { if (!answer?.complete) finish(failing(`Get "${url}": ${e.message}`)); });
        req.end();
      }, (e: unknown) => finish(failing(`Get "${url}": ${e instanceof Error ? e.message : String(e)}`)));
    });
  }

  /** Proxies the request to the APIService's server (503 `service unavailable` while it is not Available). */
  async proxy(a: APIService, req: IncomingMessage, res: ServerResponse, identity: Identity): Promise<void> {
    if (availableConditionOf(a)?.status !== 'True') {
      sendText(res, 503, 'service unavailable');
      return;
    }
    await proxyToBackend(backendOf(a, this.deps), req, res, identity, sendText);
  }
}

/** Go's http.Error: text/plain with a newline. */
function sendText(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${text}\n`);
}

function parseResourceList(body: string): RemoteResourceList | undefined {
  try {
    const v = JSON.parse(body) as RemoteResourceList;
    return v && Array.isArray(v.resources) ? v : undefined;
  } catch {
    return undefined;
  }
}
