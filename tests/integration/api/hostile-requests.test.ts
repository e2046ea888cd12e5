// Malformed, hostile and oversized requests against the real API server over HTTPS (issue 18), generated
// by fast-check: JSON of any shape, YAML alias bombs, deep nesting, bodies over 4 MB, random bytes and
// protobuf junk, bad label and field selectors and list options, path tricks (.., %2F, bad escapes,
// unicode, very long names), bad content types and patch types, every method on every kind of path.
// Every answer is a success or a 4xx Status whose code matches the HTTP status — never a 5xx, never a
// hang (a per-request deadline). On failure fast-check prints the seed and the path to replay it
// (FC_SEED=<seed> FC_PATH=<path> npx vitest run <this file>).
import * as https from 'node:https';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../../main/api/types';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;
const DEADLINE_MS = 15_000;

interface Answer { code: number; text: string; contentType: string }

/** One request on its own connection, with a deadline: a hang fails the property. */
function send(
  method: string, path: string, body: Buffer | undefined, contentType: string | undefined, extraHeaders: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(c.core.api.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${c.core.auth.adminToken}`, Accept: 'application/json', ...extraHeaders };
    if (contentType !== undefined) headers['Content-Type'] = contentType;
    if (body) headers['Content-Length'] = String(body.length);
    const req = https.request({ host: url.hostname, port: url.port, method, path, headers, ca: c.core.caCertPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => { clearTimeout(timer); resolve({ code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }); });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    const timer = setTimeout(() => { req.destroy(); reject(new Error(`no answer within ${DEADLINE_MS} ms: ${method} ${path.slice(0, 200)}`)); }, DEADLINE_MS);
    // The server may answer (413) and close before reading a body it refuses: that answer counts.
    req.on('error', (e) => { clearTimeout(timer); reject(e); });
    req.end(body);
  });
}

/** The property's check: a success, or a 4xx Status naming the same code. */
function expectWellFormed(a: Answer, what: string): void {
  if (a.code >= 200 && a.code < 300) return;
  expect(a.code, `${what} → ${a.code} ${a.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(a.code, `${what} → ${a.code} ${a.text.slice(0, 300)}`).toBeLessThan(500);
  let s: Status;
  try {
    s = JSON.parse(a.text) as Status;
  } catch {
    throw new Error(`${what} → ${a.code} with a body that is not JSON: ${a.text.slice(0, 300)}`);
  }
  expect(s.kind, `${what}: ${a.text.slice(0, 300)}`).toBe('Status');
  expect(s.apiVersion).toBe('v1');
  expect(s.status).toBe('Failure');
  expect(s.code, `${what}: ${a.text.slice(0, 300)}`).toBe(a.code);
  expect(typeof s.message).toBe('string');
}

// ---- generators ----

const COLLECTIONS = [
  '/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/secrets',
  '/api/v1/namespaces/default/services', '/api/v1/namespaces', '/api/v1/nodes', '/apis/apps/v1/namespaces/default/deployments',
  '/apis/batch/v1/namespaces/default/jobs', '/apis/rbac.authorization.k8s.io/v1/clusterroles', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
  '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', '/apis/authentication.k8s.io/v1/tokenreviews', '/apis/metrics.k8s.io/v1beta1/pods',
  '/apis/apiregistration.k8s.io/v1/apiservices', '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas',
  '/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations', '/apis/storage.k8s.io/v1/volumeattachments',
  '/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities', '/api/v1/namespaces/default/bindings',
];
const SUBRESOURCES = ['status', 'scale', 'binding', 'eviction', 'log', 'token', 'finalize', 'ephemeralcontainers', 'approval', 'exec', 'proxy', 'nope'];
const OTHER_PATHS = ['/api', '/apis', '/api/v1', '/apis/apps', '/apis/apps/v1', '/openapi/v2', '/openapi/v3', '/openapi/v3/apis/apps/v1', '/version', '/healthz', '/', '/metrics'];

/** Path segments meant to trip a parser: traversal, encoded slashes, bad escapes, unicode, very long. */
const trickySegment = fc.oneof(
  fc.constantFrom('..', '.', '%2F', '%2e%2e', '..%2F..%2Fetc', '%', '%zz', '%00', '%C0%AF', '%ff%fe', 'a%2Fb', '~', '*', ';x=1', '%20', 'CON', 'x'.repeat(300)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map((s) => encodeURIComponent(s)),
  fc.integer({ min: 254, max: 20_000 }).map((n) => 'n'.repeat(n)),
  fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/),
  // The objects that exist (beforeAll): updates, patches and subresources get past the lookup.
  fc.constant('cm'),
);

const path = fc.oneof(
  fc.tuple(fc.constantFrom(...COLLECTIONS), fc.array(trickySegment, { maxLength: 3 })).map(([base, segs]) => [base, ...segs].join('/')),
  fc.tuple(fc.constantFrom(...COLLECTIONS), trickySegment, fc.constantFrom(...SUBRESOURCES)).map(([base, n, s]) => `${base}/${n}/${s}`),
  fc.tuple(fc.constantFrom(...OTHER_PATHS), fc.array(trickySegment, { maxLength: 2 })).map(([base, segs]) => [base, ...segs].join('/').replace('//', '/')),
  fc.array(trickySegment, { minLength: 1, maxLength: 6 }).map((segs) => `/${segs.join('/')}`),
  fc.tuple(fc.constantFrom('/api/', '/apis/'), fc.array(trickySegment, { minLength: 1, maxLength: 6 })).map(([p, segs]) => p + segs.join('/')),
);

/** Selectors and list options, valid-looking and not. */
const badSelector = fc.oneof(
  fc.constantFrom('a in (', 'a notin ()', '!', '!=', '==', 'a=b,', ',,', 'a=(b)', 'x in (a,b', 'metadata.name', 'metadata.name=', 'spec.nodeName!=',
    'a'.repeat(100) + '=b', 'example.com/' + 'k'.repeat(70) + '=v', 'key=' + 'v'.repeat(70), 'a>1', 'a<', 'a=b=c', '\\', 'a=\\', 'x notin (', 'status.phase=Running,foo=bar'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const query = fc.array(fc.oneof(
  badSelector.map((s) => `labelSelector=${encodeURIComponent(s)}`),
  badSelector.map((s) => `fieldSelector=${encodeURIComponent(s)}`),
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-1', '0', '1e9', '99999999999999999999', 'NaN', '0x10', ' 1')).map((v) => `limit=${encodeURIComponent(v)}`),
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-1', 'abc', '99999999999999999999')).map((v) => `resourceVersion=${encodeURIComponent(v)}`),
  fc.constantFrom('resourceVersionMatch=Exact', 'resourceVersionMatch=bogus', 'continue=%%%', 'continue=eyJ4Ijoi', 'dryRun=Bogus', 'dryRun=All',
    'fieldManager=' + 'm'.repeat(200), 'fieldValidation=Bogus', 'propagationPolicy=Nope', 'gracePeriodSeconds=-5', 'gracePeriodSeconds=x',
    'pretty=maybe', 'force=maybe', 'timeoutSeconds=-1', 'sendInitialEvents=true', 'allowWatchBookmarks=x', 'container=%00', 'tailLines=x', 'sinceSeconds=-1',
    'orphanDependents=maybe', 'includeObject=Nope', '%zz=1', '&&&', '=x'),
), { maxLength: 4 }).map((qs) => (qs.length ? `?${qs.join('&')}` : ''));

const CONTENT_TYPES = [
  'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'application/json-patch+json', 'application/merge-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/apply-patch+cbor', 'application/cbor', 'text/plain',
  'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json;;;', '', '*/*', 'application/x-www-form-urlencoded',
];

/** A YAML alias bomb: each level refers to the one below it ten times. */
function yamlBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push(`metadata: { name: bomb }\ndata: *a${levels}`);
  return lines.join('\n');
}

const nested = (depth: number, open: string, close: string, inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth);

const objectLike = fc.record({
  apiVersion: fc.oneof(fc.constantFrom('v1', 'apps/v1', 'bogus/v9', ''), fc.anything()),
  kind: fc.oneof(fc.constantFrom('ConfigMap', 'Pod', 'Deployment', 'Status', 'List', ''), fc.anything()),
  metadata: fc.oneof(fc.anything(), fc.record({
    name: fc.oneof(fc.string(), fc.anything()), namespace: fc.oneof(fc.string(), fc.anything()), labels: fc.anything(),
  })),
  data: fc.anything(), spec: fc.anything(), items: fc.anything(),
}, { requiredKeys: [] });

const body = fc.oneof(
  { weight: 5, arbitrary: fc.json().map((s) => Buffer.from(s)) },
  { weight: 5, arbitrary: objectLike.map((o) => Buffer.from(JSON.stringify(o))) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify([{ op: 'replace', path: '/metadata/labels', value: v }, { op: 'move', from: '/x', path: '/y' }]))) },
  { weight: 2, arbitrary: fc.integer({ min: 3, max: 9 }).map((n) => Buffer.from(yamlBomb(n))) },
  { weight: 2, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((d) => Buffer.from(nested(d, '[', ']'))) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }).map((d) => Buffer.from(nested(d, '{"a":', '}'))) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((d) => Buffer.from(nested(d, '- ', '', 'x').replace(/- /g, '-\n  '))) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((d) => Buffer.from(`metadata: {name: deep}\ndata: ${nested(d, '{a: ', '}')}`)) },
  { weight: 1, arbitrary: fc.constantFrom(3 * 1024 * 1024 + 1, 4 * 1024 * 1024 + 7).map((n) => Buffer.from(`{"metadata":{"name":"big"},"data":{"x":"${'x'.repeat(n)}"}}`)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.concat([Buffer.from('k8s\0'), Buffer.from(b)])) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }).map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
);

const request = fc.record({
  // HEAD is GET without the answer's body (a refused request line's Status could not be read by the client).
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'BREW'),
  path, query, body: fc.option(body, { nil: undefined }),
  contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
});

// ---- the property ----

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  await c.kubectlOk(['create', 'configmap', 'cm', '--from-literal=a=b']);
  await c.kubectlOk(['create', 'secret', 'generic', 'cm', '--from-literal=a=b']);
  await c.kubectlOk(['create', 'service', 'clusterip', 'cm', '--tcp=80:80']);
  await c.kubectlOk(['create', 'deployment', 'cm', '--image=busybox']);
  await c.kubectlOk(['run', 'cm', '--image=busybox']);
  await c.kubectlOk(['create', 'clusterrole', 'cm', '--verb=get', '--resource=pods']);
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

describe('hostile requests', () => {
  it('every generated request gets a success or a 4xx Status, never a 5xx or a hang', async () => {
    // A fresh seed on every local run explores new requests; CI replays one known seed so a landing is not decided by
    // chance (a failure found locally is fixed with a plain regression test below, as each one so far).
    const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : process.env.CI === 'true' ? CI_SEED : undefined;
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const a = await send(r.method, r.path + r.query, r.body, r.contentType);
      expectWellFormed(a, `${r.method} ${(r.path + r.query).slice(0, 200)} [${r.contentType ?? 'no content type'}, ${r.body?.length ?? 0} bytes]`);
    }), {
      numRuns: Number(process.env.FC_RUNS ?? 250), seed, path: process.env.FC_PATH, endOnFailure: true,
      // Within the suite's budget whatever the machine's load: fewer runs rather than a slow suite.
      interruptAfterTimeLimit: 50_000, markInterruptAsFailure: false,
    });
  }, 120_000);
});

// What the property found, each as a plain test.
/** The seed CI replays (250 runs pass with it). */
const CI_SEED = 20261203;

describe('hostile requests: regressions', () => {
  const status = (a: Answer): Status => JSON.parse(a.text) as Status;

  it('a bad escape in the path is 400 (was a 500 "URI malformed")', async () => {
    const a = await send('GET', '/api/v1/namespaces/default/configmaps/%zz', undefined, undefined);
    expect(a.code).toBe(400);
    expect(status(a)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest', message: 'invalid URL escape "%zz"' });
  });

  it('a body nested deeper than Go\'s JSON decoder allows is 400, JSON and YAML alike (was a 500 "Maximum call stack size exceeded")', async () => {
    const deep = '{"a":'.repeat(60_000) + '1' + '}'.repeat(60_000);
    const a = await send('POST', '/api/v1/namespaces/default/services//status', Buffer.from(deep), 'application/json');
    expect(a.code).toBe(400);
    expect(status(a)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest', message: 'couldn\'t get version/kind; json parse error: exceeded max depth' });
    const b = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('['.repeat(10_001) + ']'.repeat(10_001)), 'application/json');
    expect(b.code).toBe(400);
    const y = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('- '.repeat(10_001) + 'x'), 'application/yaml');
    expect(y.code).toBe(400);
    // At the limit it is decoded (and refused for what it is, not for its depth).
    const ok = await send('POST', '/api/v1/namespaces/default/configmaps', Buffer.from('['.repeat(10_000) + ']'.repeat(10_000)), 'application/json');
    expect(status(ok).message).not.toContain('exceeded max depth');
  });

  it('a path starting with // is a path, not a host (was a 500 "Invalid URL")', async () => {
    const a = await send('POST', '//%00/x', Buffer.from('{}'), 'application/json');
    expect(a.code).toBe(404);
    expect(status(a)).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });

  it('a method Node\'s parser does not know gets a 400 Status, not a bare 400', async () => {
    const a = await send('BREW', '/api/v1/namespaces', undefined, undefined);
    expect(a.code).toBe(400);
    expect(a.contentType).toBe('application/json');
    expect(status(a)).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest' });
  });

  it('a request with a large body nobody reads still gets its whole answer (was a connection reset)', async () => {
    const big = Buffer.from(nested(100_000, '{"a":', '}'));
    for (const [method, path] of [['POST', '/openapi/v2'], ['TRACE', '/openapi/v2'], ['POST', '/apis/nope'], ['GET', '/api/v1/namespaces']]) {
      const a = await send(method, path, big, 'application/json');
      expectWellFormed(a, `${method} ${path}`);
      if (a.code === 200) expect((JSON.parse(a.text) as object)).toBeTruthy();
    }
  });

  it('a malformed impersonation extra key is kept as sent (was a 500)', async () => {
    const a = await send('GET', '/api/v1/namespaces', undefined, undefined, { 'Impersonate-User': 'jane', 'Impersonate-Extra-%zz': 'v' });
    expect(a.code).toBe(403);
    expect(status(a).message).toBe('namespaces is forbidden: User "jane" cannot list resource "namespaces" in API group "" at the cluster scope');
  });
});
