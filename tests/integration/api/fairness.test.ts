// API Priority and Fairness against a flood: one user holds many concurrent writes open and overflows its queues,
// another holds 1,000 watches; meanwhile a node's lease renewals (system:node:x, node-high), the admin's calls
// (exempt) and the UI's in-process calls complete, the flooder alone gets 429s (kube-apiserver's message,
// Retry-After), another user's request in the flooder's priority level is queued and overtakes the flood, and the
// apiserver_flowcontrol_* metrics say so. Structural assertions only: who got what, queue lengths, counters.
import * as http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { waitFor } from '../../helpers/wait';
import { resourceFor } from '../../../main/api/resources';
import { TOO_MANY_REQUESTS } from '../../../main/apiserver/flowcontrol/filter';
import { R, refFor } from '../../../main/client/refs';

// The PF headers name the stored configuration objects.
const uidOf = (plural: string, name: string) => c.core.registry.get(resourceFor('flowcontrol.apiserver.k8s.io', 'v1', plural)!, undefined, name).metadata.uid;
const uidOfSchema = (name: string) => uidOf('flowschemas', name);
const uidOfLevel = (name: string) => uidOf('prioritylevelconfigurations', name);

interface Answer { status: number; headers: http2.IncomingHttpHeaders; body: string }

interface Sent {
  stream: http2.ClientHttp2Stream;
  /** Response headers arrived. */
  head: Promise<http2.IncomingHttpHeaders>;
  done: Promise<Answer>;
  /** Data received so far (watches). */
  text(): string;
  /** Sends the rest of a held body. */
  finish(): void;
}

let c: TestCluster;
const sessions: http2.ClientHttp2Session[] = [];

function session(): http2.ClientHttp2Session {
  const s = http2.connect(c.core.api.url, { ca: c.core.caCertPem });
  s.on('error', () => undefined);
  sessions.push(s);
  return s;
}

/** A request; with `held`, the body's first half is sent and the stream stays open until the test ends it. */
function send(s: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string, held = false): Sent {
  const stream = s.request(headers, { endStream: body === undefined });
  let data = '';
  let resHeaders: http2.IncomingHttpHeaders = {};
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => { data += d; });
  const head = new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
    stream.on('response', (h) => { resHeaders = h; resolve(h); });
    stream.on('error', reject);
  });
  const done = new Promise<Answer>((resolve, reject) => {
    stream.on('end', () => resolve({ status: Number(resHeaders[':status']), headers: resHeaders, body: data }));
    stream.on('error', reject);
  });
  head.catch(() => undefined);
  done.catch(() => undefined);
  if (body !== undefined) {
    if (held) stream.write(body.slice(0, 10));
    else stream.end(body);
  }
  return { stream, head, done, text: () => data, finish: () => stream.end(body?.slice(10)) };
}

const as = (user: string) => ({ authorization: `Bearer ${c.core.auth.adminToken}`, 'impersonate-user': user, 'impersonate-group': 'system:authenticated' });
const admin = () => ({ authorization: `Bearer ${c.core.auth.adminToken}` });
const post = (path: string, auth: Record<string, string>) => ({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...auth });
const configMap = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });

async function metrics(): Promise<string> {
  const a = await send(session(), { ':path': '/metrics', ...admin() }).done;
  expect(a.status).toBe(200);
  return a.body;
}

/** The sum of a metric's samples whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

beforeAll(async () => {
  c = await startTestCluster({ controllers: false, flowControl: { requestWaitLimitMs: 60_000 } });
  for (const ns of ['flood', 'watched']) await c.client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await c.client.create(refFor('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'), {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'fairness-users' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'flooder' }, { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'watcher' }],
  });
}, 60_000);

afterAll(async () => {
  for (const s of sessions) s.destroy();
  await c?.stop();
});

describe('API Priority and Fairness under a flood', () => {
  it('throttles the flooder alone; nodes\' heartbeats, the admin and the UI go on; another user overtakes the flood', async () => {
    const level = c.core.api.flowControl.queueSet('global-default')!;
    const seats = level.limit;
    expect(seats).toBe(49); // ceil(600 × 20 / 245), kube-apiserver's global-default
    const watchPath = '/api/v1/namespaces/watched/configmaps?watch=1';

    // 1,000 watches of another user: each holds a seat only while it initializes.
    const watchSessions = [session(), session()];
    const watches = Array.from({ length: 1000 }, (_, i) => send(watchSessions[i % 2], { ':path': watchPath, ...as('watcher') }));
    const watchHeads = await Promise.all(watches.map((w) => w.head));
    expect(new Set(watchHeads.map((h) => h[':status']))).toEqual(new Set([200]));
    expect(new Set(watchHeads.map((h) => h['x-kubernetes-pf-flowschema-uid']))).toEqual(new Set([uidOfSchema('global-default')]));
    expect(new Set(watchHeads.map((h) => h['x-kubernetes-pf-prioritylevel-uid']))).toEqual(new Set([uidOfLevel('global-default')]));
    expect(level.executing).toBe(0);

    // The flood: writes held open (their bodies unfinished) take every seat of the level, then fill the flooder's
    // hand of queues (handSize 6 × queueLengthLimit 50), then overflow.
    const fs = session();
    const create = (i: number, held: boolean) => send(fs, post('/api/v1/namespaces/flood/configmaps', as('flooder')), configMap(`f-${i}`), held);
    const running = Array.from({ length: seats }, (_, i) => create(i, true));
    await waitFor(() => level.executing === seats, 'the flood to take every seat');
    const queued = Array.from({ length: 300 }, (_, i) => create(seats + i, true));
    await waitFor(() => level.waiting === 300, 'the flood to fill its queues');
    const overflow = Array.from({ length: 20 }, (_, i) => create(seats + 300 + i, false));
    const refused = await Promise.all(overflow.map((o) => o.done));
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.headers['retry-after']).toBe('1');
      expect(r.headers['x-kubernetes-pf-flowschema-uid']).toBe(uidOfSchema('global-default'));
      expect(JSON.parse(r.body)).toEqual({
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: TOO_MANY_REQUESTS, reason: 'TooManyRequests', details: { retryAfterSeconds: 1 }, code: 429,
      });
    }
    expect(level.waiting).toBe(300);

    // A node renews its lease over HTTPS as system:node:x (node-high), and reads (system): all served at once.
    const node = session();
    const nodeAuth = { authorization: `Bearer ${c.core.auth.nodeToken('x')}` };
    const lease = (renew: string) => JSON.stringify({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'x', leaseDurationSeconds: 40, renewTime: renew },
    });
    const created = await send(node, post('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', nodeAuth), lease(new Date().toISOString())).done;
    expect(created.status, created.body).toBe(201);
    expect(created.headers['x-kubernetes-pf-flowschema-uid']).toBe(uidOfSchema('system-node-high'));
    expect(created.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(uidOfLevel('node-high'));
    for (let i = 0; i < 5; i++) {
      const renewed = await send(node, {
        ':method': 'PATCH', ':path': '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/x', 'content-type': 'application/merge-patch+json', ...nodeAuth,
      }, JSON.stringify({ spec: { renewTime: new Date(Date.now() + i).toISOString() } })).done;
      expect(renewed.status, renewed.body).toBe(200);
    }
    const nodeRead = await send(node, { ':path': '/api/v1/pods?fieldSelector=spec.nodeName%3Dx', ...nodeAuth }).done;
    expect(nodeRead.status, nodeRead.body).toBe(200);
    expect(nodeRead.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(uidOfLevel('system'));

    // The admin (system:masters: exempt) writes and reads; the UI's in-process client too.
    const adminSession = session();
    const adminWrite = await send(adminSession, post('/api/v1/namespaces/watched/configmaps', admin()), configMap('from-admin')).done;
    expect(adminWrite.status, adminWrite.body).toBe(201);
    expect(adminWrite.headers['x-kubernetes-pf-flowschema-uid']).toBe(uidOfSchema('exempt'));
    expect(adminWrite.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(uidOfLevel('exempt'));
    expect((await send(adminSession, { ':path': '/api/v1/namespaces', ...admin() }).done).status).toBe(200);
    const ui = await c.core.client.list(R.configmaps, { namespace: 'watched' });
    expect(ui.items.map((o) => o.metadata?.name)).toEqual(['from-admin']);
    // Every one of the 1,000 watches saw the admin's write.
    await waitFor(() => watches.every((w) => w.text().includes('"name":"from-admin"')), 'every watch to see the write', 60_000);

    // The watcher's own request in the flooded level waits in a queue of its own (not 429)...
    const other = send(session(), { ':path': '/api/v1/namespaces/watched/configmaps', ...as('watcher') });
    await waitFor(() => level.waiting === 301, 'the other user\'s request to be queued');
    // ...and when seven seats free up, the seven non-empty queues (the flooder's six, its one) get one each: it
    // overtakes the flood requests still queued. Its own seat, once it is answered, goes to the flood again.
    for (const r of running.slice(0, 7)) r.finish();
    const answered = await other.done;
    expect(answered.status, answered.body).toBe(200);
    await waitFor(() => {
      if (level.waiting === 293 && level.executing === seats) return true;
      throw new Error(`waiting ${level.waiting}, executing ${level.executing}`);
    }, 'seven flood requests to be dispatched in all');

    const text = await metrics();
    const gd = { priority_level: 'global-default', flow_schema: 'global-default' };
    expect(sample(text, 'apiserver_flowcontrol_rejected_requests_total', { ...gd, reason: 'queue-full' })).toBe(20);
    expect(sample(text, 'apiserver_flowcontrol_rejected_requests_total', {})).toBe(20);
    expect(sample(text, 'apiserver_flowcontrol_current_inqueue_requests', gd)).toBe(293);
    expect(sample(text, 'apiserver_flowcontrol_current_executing_requests', gd)).toBe(seats);
    expect(sample(text, 'apiserver_flowcontrol_nominal_limit_seats', { priority_level: 'global-default' })).toBe(seats);
    expect(sample(text, 'apiserver_flowcontrol_dispatched_requests_total', { priority_level: 'node-high', flow_schema: 'system-node-high' })).toBe(6);
    expect(sample(text, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'configmaps' })).toBe(1000);

    // The flood ends: every held write is served; nothing is left queued or running.
    for (const r of [...running.slice(7), ...queued]) r.finish();
    const results = await Promise.all([...running, ...queued].map((r) => r.done));
    expect(results.filter((r) => r.status === 201)).toHaveLength(seats + 300);
    await waitFor(() => level.waiting === 0 && level.executing === 0, 'the level to drain');
    expect((await c.core.client.list(R.configmaps, { namespace: 'flood' })).items).toHaveLength(seats + 300);
  }, 240_000);
});
