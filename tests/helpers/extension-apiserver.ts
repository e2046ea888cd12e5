// A real aggregated API server for tests (on loopback unless told a host), behaving as one built on k8s.io/apiserver:
// HTTPS with its own CA, a certificate for `<service>.<namespace>.svc`; it trusts a request only when it comes with a
// client certificate the request-header CA signed whose CN is an allowed name (what kube-system's
// extension-apiserver-authentication ConfigMap says), and then takes the user from X-Remote-User, X-Remote-Group and
// X-Remote-Extra-*. It serves wardle.example.com/v1alpha1 flunders (namespaced; shortname fl; list, get, create,
// watch; Tables as k8s.io/apiserver's default) from memory and their OpenAPI v3 document, external.metrics.k8s.io/v1beta1
// metrics as KEDA's metrics server serves them, and records every request it was sent.
import type { ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { makeCertificates } from './webhook-server';

export const WARDLE_GROUP = 'wardle.example.com';
export const WARDLE_VERSION = 'v1alpha1';

export interface ExtensionRequest {
  method: string;
  path: string;
  /** The client certificate's CN (undefined: none, or not signed by the request-header CA). */
  clientCN?: string;
  user?: string;
  groups: string[];
  extra: Record<string, string[]>;
  authorization?: string;
  /** The query string, decoded. */
  query: Record<string, string>;
}

export interface ExtensionServer {
  port: number;
  caPem: string;
  caBundle: string;
  requests: ExtensionRequest[];
  /** Watches open now. */
  openWatches(): number;
  /** external.metrics.k8s.io/v1beta1: the value of an external metric (as KEDA's metrics server serves them); undefined removes it. */
  setExternalMetric(name: string, value: string | undefined): void;
  /**
   * custom.metrics.k8s.io/v1beta2 (as prometheus-adapter serves it): the value of `metric` for the object `name` of
   * `resource` (`pods`, or `<plural>.<group>`, core kinds by plural) in `namespace`; undefined removes it.
   */
  setCustomMetric(namespace: string, resource: string, name: string, metric: string, value: string | undefined): void;
  stop(): Promise<void>;
}

interface Flunder { apiVersion: string; kind: 'Flunder'; metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string } }

const RESOURCE_LIST = {
  kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`,
  resources: [
    { name: 'flunders', singularName: 'flunder', namespaced: true, kind: 'Flunder', verbs: ['create', 'delete', 'get', 'list', 'watch'], shortNames: ['fl'] },
    { name: 'flunders/status', singularName: '', namespaced: true, kind: 'Flunder', verbs: ['get', 'patch', 'update'] },
  ],
};

/** The group version's OpenAPI v3 document (kubectl explain reads it through the aggregator). */
const OPENAPI_V3 = {
  openapi: '3.0.0', info: { title: 'wardle', version: WARDLE_VERSION },
  paths: { [`/apis/${WARDLE_GROUP}/${WARDLE_VERSION}/namespaces/{namespace}/flunders/{name}`]: { get: {
    'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': { group: WARDLE_GROUP, kind: 'Flunder', version: WARDLE_VERSION },
    responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/com.example.wardle.v1alpha1.Flunder' } } } } },
  } } },
  components: { schemas: { 'com.example.wardle.v1alpha1.Flunder': {
    type: 'object', description: 'A Flunder is the aggregated test kind.',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion of this object.' }, kind: { type: 'string', description: 'Kind of this object.' },
      metadata: { type: 'object', description: 'Standard object metadata.' },
      spec: { type: 'object', description: 'What a flunder wants.', properties: { reference: { type: 'string', description: 'The flunder this one refers to.' } } },
    },
    'x-kubernetes-group-version-kind': [{ group: WARDLE_GROUP, kind: 'Flunder', version: WARDLE_VERSION }],
  } } },
};

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export async function startExtensionApiServer(opts: {
  requestHeaderCaPem: string; allowedNames: string[]; dnsNames: string[]; host?: string;
}): Promise<ExtensionServer> {
  const pki = makeCertificates(opts.dnsNames);
  const requests: ExtensionRequest[] = [];
  const sockets = new Set<Socket>();
  const flunders = new Map<string, Flunder>();
  const externalMetrics = new Map<string, string>();
  /** `<namespace>/<resource>/<metric>` → object name → value. */
  const customMetrics = new Map<string, Map<string, string>>();
  const watches = new Set<ServerResponse>();
  let rv = 1;
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  };
  const tlsOptions = { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: opts.requestHeaderCaPem, requestCert: true, rejectUnauthorized: false };
  const server = https.createServer(tlsOptions, (req, res) => {
    const socket = req.socket as TLSSocket;
    const peer = socket.authorized ? socket.getPeerX509Certificate() : undefined;
    const clientCN = peer ? /CN=([^\n,]+)/.exec(new X509Certificate(peer.raw).subject)?.[1] : undefined;
    const trusted = clientCN !== undefined && opts.allowedNames.includes(clientCN);
    // Each header line a value, as Go's header.Values reads them (Node joins repeated lines in req.headers).
    const header = (n: string): string[] => req.headersDistinct[n.toLowerCase()] ?? [];
    const extra: Record<string, string[]> = {};
    for (const k of Object.keys(req.headers)) if (k.startsWith('x-remote-extra-')) extra[decodeURIComponent(k.slice('x-remote-extra-'.length))] = header(k);
    const url = new URL(req.url ?? '/', 'https://x');
    requests.push({
      method: req.method ?? 'GET', path: url.pathname, clientCN, user: trusted ? header('X-Remote-User')[0] : undefined,
      groups: trusted ? header('X-Remote-Group') : [], extra, authorization: req.headers.authorization, query: Object.fromEntries(url.searchParams),
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!trusted) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      const external = /^\/apis\/external\.metrics\.k8s\.io\/v1beta1(?:\/namespaces\/([^/]+)\/([^/]+))?$/.exec(url.pathname);
      if (external) return serveExternal(res, external[1], external[2]);
      const custom = /^\/apis\/custom\.metrics\.k8s\.io\/v1beta2(?:\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+))?$/.exec(url.pathname);
      if (custom) return serveCustom(res, custom.slice(1).map((x) => (x === undefined ? undefined : decodeURIComponent(x))));
      const base = `/apis/${WARDLE_GROUP}/${WARDLE_VERSION}`;
      if (url.pathname === base) return send(res, 200, RESOURCE_LIST);
      if (url.pathname === `/openapi/v3${base}`) return send(res, 200, OPENAPI_V3);
      const m = new RegExp(`^${base.replace(/\./g, '\\.')}(?:/namespaces/([^/]+))?/flunders(?:/([^/]+))?$`).exec(url.pathname);
      if (!m) return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      // No namespace: every namespace's (a list or watch across them).
      const [, ns, name] = m as unknown as [string, string | undefined, string | undefined];
      if ((req.method === 'POST' || name) && !ns) return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
      if (req.method === 'POST' && !name) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata: { name: string } };
        const key = `${ns}/${body.metadata.name}`;
        if (flunders.has(key)) return send(res, 409, status(409, 'AlreadyExists', `flunders.${WARDLE_GROUP} "${body.metadata.name}" already exists`));
        const f: Flunder = { apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`, kind: 'Flunder', metadata: {
          name: body.metadata.name, namespace: ns ?? '', uid: `uid-${rv}`, resourceVersion: String(++rv), creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        } };
        flunders.set(key, f);
        for (const w of watches) w.write(`${JSON.stringify({ type: 'ADDED', object: f })}\n`);
        return send(res, 201, f);
      }
      if (req.method !== 'GET') return send(res, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      if (name) {
        const f = flunders.get(`${ns}/${name}`);
        return f ? send(res, 200, f) : send(res, 404, status(404, 'NotFound', `flunders.${WARDLE_GROUP} "${name}" not found`));
      }
      const items = [...flunders.values()].filter((f) => ns === undefined || f.metadata.namespace === ns);
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        for (const f of items) res.write(`${JSON.stringify({ type: 'ADDED', object: f })}\n`);
        watches.add(res);
        res.on('close', () => watches.delete(res));
        return undefined;
      }
      // As k8s.io/apiserver's default table convertor: NAME and CREATED AT, each row with the object's metadata.
      if ((req.headers.accept ?? '').includes('as=Table')) {
        return send(res, 200, {
          kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: String(rv) },
          columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 }, { name: 'Created At', type: 'date', format: '', description: 'Created At', priority: 0 }],
          rows: items.map((f) => ({ cells: [f.metadata.name, f.metadata.creationTimestamp], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: f.metadata } })),
        });
      }
      return send(res, 200, { apiVersion: `${WARDLE_GROUP}/${WARDLE_VERSION}`, kind: 'FlunderList', metadata: { resourceVersion: String(rv) }, items });
    });
  });
  const serveExternal = (res: ServerResponse, ns: string | undefined, metric: string | undefined): void => {
    if (!ns || !metric) {
      return send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'external.metrics.k8s.io/v1beta1', resources: [
        { name: 'externalmetrics', singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] },
      ] });
    }
    const value = externalMetrics.get(metric);
    if (value === undefined) return send(res, 404, status(404, 'NotFound', `no metric ${metric} in namespace ${ns}`));
    return send(res, 200, {
      kind: 'ExternalMetricValueList', apiVersion: 'external.metrics.k8s.io/v1beta1', metadata: {},
      items: [{ metricName: metric, metricLabels: {}, timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), value }],
    });
  };
  const serveCustom = (res: ServerResponse, [ns, resource, name, metric]: Array<string | undefined>): void => {
    if (!ns || !resource || !name || !metric) {
      return send(res, 200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'custom.metrics.k8s.io/v1beta2', resources: [
        ...new Set([...customMetrics.keys()].map((k) => k.split('/').slice(1).join('/'))),
      ].map((r) => ({ name: r, singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] })) });
    }
    const values = customMetrics.get(`${ns}/${resource}/${metric}`);
    const names = name === '*' ? [...(values?.keys() ?? [])] : values?.has(name) ? [name] : [];
    if (!names.length) return send(res, 404, status(404, 'NotFound', `the server could not find the metric ${metric} for ${resource}${name === '*' ? '' : ` ${name}`}`));
    const kind = resource === 'pods' ? 'Pod' : resource.split('.')[0].replace(/s$/, '').replace(/^./, (ch) => ch.toUpperCase());
    return send(res, 200, {
      kind: 'MetricValueList', apiVersion: 'custom.metrics.k8s.io/v1beta2', metadata: {},
      items: names.map((n) => ({
        describedObject: { kind, namespace: ns, name: n, apiVersion: '/v1' }, metric: { name: metric },
        timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), windowSeconds: 60, value: values!.get(n),
      })),
    });
  };
  server.on('secureConnection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, requests, caPem: pki.caCertPem, caBundle: Buffer.from(pki.caCertPem).toString('base64'),
    openWatches: () => watches.size,
    setExternalMetric: (name, value) => { if (value === undefined) externalMetrics.delete(name); else externalMetrics.set(name, value); },
    setCustomMetric: (ns, resource, name, metric, value) => {
      const key = `${ns}/${resource}/${metric}`;
      const values = customMetrics.get(key) ?? new Map<string, string>();
      customMetrics.set(key, values);
      if (value === undefined) values.delete(name);
      else values.set(name, value);
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
