// `flotilla bench authz`: the cost of an authorization decision with many RBAC bindings. An
// in-process core holds `bindings` RoleBindings (one service account each) in one namespace and as
// many ClusterRoleBindings (one user each); one more RoleBinding lets the measured service account
// get ConfigMaps. Rows: the authorizer's decision in-process (allowed, and denied — which looks at
// everything the user could be bound by), and a GET of a ConfigMap over HTTPS with the account's
// token (authentication, authorization and the read), and the same GET with the admin's token as the
// floor (system:masters: no RBAC). Each row runs for `seconds` in 100 ms
// batches; the table gives the median and p99 of the batches' mean per request.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HttpClient } from '../client/http';
import { R, refFor } from '../client/refs';
import type { ApiClient } from '../client/types';
import type { KObject, ServiceAccount } from '../api/types';
import { startCore } from '../core';
import { median, nowMs, percentile, printResult, printTable, round } from './bench-report';
import type { BenchAuthzOptions } from './commands';

const RBAC = 'rbac.authorization.k8s.io';
const ROLEBINDINGS = refFor(RBAC, 'v1', 'rolebindings');
const CLUSTERROLEBINDINGS = refFor(RBAC, 'v1', 'clusterrolebindings');
const NS = 'bench';
const TARGET = 'target';
const BATCH_MS = 100;

interface Row { what: string; n: number; p50_us: number; p99_us: number }

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, subject: Record<string, string>): KObject {
  return {
    apiVersion: `${RBAC}/v1`, kind, metadata: kind === 'RoleBinding' ? { name, namespace: NS } : { name },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'bench-reader' }, subjects: [subject],
  };
}

/** Creates `count` objects, `width` at a time (each batch commits together). */
async function createAll(client: ApiClient, count: number, make: (i: number) => [ReturnType<typeof refFor>, KObject], width = 250): Promise<void> {
  for (let i = 0; i < count; i += width) {
    await Promise.all(Array.from({ length: Math.min(width, count - i) }, (_, j) => {
      const [r, obj] = make(i + j);
      return client.create(r, obj);
    }));
  }
}

/** Runs `op` in 100 ms batches for `seconds`: each batch's mean time per op, in µs. */
async function measure(seconds: number, op: () => unknown): Promise<{ n: number; perOpUs: number[] }> {
  const perOpUs: number[] = [];
  let n = 0;
  const end = nowMs() + seconds * 1000;
  while (nowMs() < end) {
    const t0 = nowMs();
    let k = 0;
    while (nowMs() - t0 < BATCH_MS) {
      const pending = op();
      if (pending instanceof Promise) await pending;
      k++;
    }
    perOpUs.push(((nowMs() - t0) * 1000) / k);
    n += k;
  }
  return { n, perOpUs };
}

function row(what: string, m: { n: number; perOpUs: number[] }): Row {
  return { what, n: m.n, p50_us: round(median(m.perOpUs), 1), p99_us: round(percentile(m.perOpUs, 99), 1) };
}

export async function benchAuthz(o: BenchAuthzOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-authz-'));
  const core = await startCore({ dataDir: path.join(dir, 'data'), apiPort: 0, controllers: false, log: () => undefined });
  let http: HttpClient | undefined;
  let admin: HttpClient | undefined;
  try {
    const client = core.client;
    await client.create(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    await client.create(R.clusterroles, {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name: 'bench-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
    });
    process.stderr.write(`creating ${o.bindings} RoleBindings and ${o.bindings} ClusterRoleBindings...\n`);
    await createAll(client, o.bindings, (i) => [ROLEBINDINGS, binding('RoleBinding', `rb-${i}`, { kind: 'ServiceAccount', name: `sa-${i}`, namespace: NS })]);
    await createAll(client, o.bindings, (i) => [CLUSTERROLEBINDINGS, binding('ClusterRoleBinding', `crb-${i}`, { kind: 'User', apiGroup: RBAC, name: `user-${i}` })]);
    const sa = await client.create<ServiceAccount>(R.serviceaccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: TARGET, namespace: NS } });
    await client.create(ROLEBINDINGS, binding('RoleBinding', 'target', { kind: 'ServiceAccount', name: TARGET, namespace: NS }));
    await client.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'data', namespace: NS }, data: { a: 'b' } });

    const auth = core.ctx.auth!;
    const user = { name: `system:serviceaccount:${NS}:${TARGET}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${NS}`, 'system:authenticated'] };
    const attrs = (verb: string) => ({ user, verb, resourceRequest: true, path: '', group: '', version: 'v1', resource: 'configmaps', subresource: '', namespace: NS, name: 'data' });
    if (!auth.authorizer.decide(attrs('get')).allowed || auth.authorizer.decide(attrs('delete')).allowed) throw new Error('bench authz: the bindings do not decide as set up');
    const rows: Row[] = [];
    process.stderr.write('decisions in-process...\n');
    rows.push(row('decision, allowed', await measure(o.seconds, () => auth.authorizer.decide(attrs('get')))));
    rows.push(row('decision, denied', await measure(o.seconds, () => auth.authorizer.decide(attrs('delete')))));

    const claim = { namespace: NS, serviceaccount: { name: TARGET, uid: sa.metadata?.uid ?? '' } };
    const { token } = await auth.issuer.issue({ claim, audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600 });
    http = new HttpClient({ server: core.api.url, token, caCertPem: core.caCertPem });
    process.stderr.write('GETs over HTTPS...\n');
    await measure(0.5, () => http!.get(R.configmaps, 'data', NS)); // warm-up: connections, JIT
    rows.push(row('GET configmap over HTTPS (service account)', await measure(o.seconds, () => http!.get(R.configmaps, 'data', NS))));
    // The floor: the admin's static token, in system:masters (no token verification, no RBAC).
    admin = new HttpClient({ server: core.api.url, token: core.auth.adminToken, caCertPem: core.caCertPem });
    await measure(0.5, () => admin!.get(R.configmaps, 'data', NS));
    rows.push(row('GET configmap over HTTPS (admin, the floor)', await measure(o.seconds, () => admin!.get(R.configmaps, 'data', NS))));

    printTable([['what', 'requests', 'p50 µs', 'p99 µs'], ...rows.map((r) => [r.what, r.n, r.p50_us, r.p99_us])]);
    console.log(`(${o.bindings} RoleBindings in ${NS} and ${o.bindings} ClusterRoleBindings; p50/p99 over ${BATCH_MS} ms batches' mean per request)`);
    printResult({
      bench: 'authz', bindings: o.bindings,
      decision_allowed_p50_us: rows[0].p50_us, decision_denied_p50_us: rows[1].p50_us, http_get_p50_us: rows[2].p50_us, http_get_admin_p50_us: rows[3].p50_us,
    });
  } finally {
    http?.close();
    admin?.close();
    await core.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
