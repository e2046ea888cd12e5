// The UI on another cluster: a bridge session of one Flotilla switched to a second, separate
// control plane reached only through its kubeconfig (a token one and a client-certificate one),
// watching there, refusing Flotilla-only actions, back again; and each way a context can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { stringify } from 'yaml';
import type { KObject } from '../../../main/api/types';
import type { BridgeEvents, EventName } from '../../../main/bridge/contract';
import { bridgeDepsOf } from '../../../main/bridge/handlers';
import type { BridgeSession } from '../../../main/bridge/handlers';
import { createClusterSession } from '../../../main/bridge/clusters/session';
import { kubeconfigSources } from '../../../main/bridge/clusters/sources';
import { startTestCluster, waitFor } from '../../helpers/cluster';
import type { TestCluster } from '../../helpers/cluster';
import { bridgeCalls } from '../../helpers/bridge-calls';

const NODES = { group: '', version: 'v1', plural: 'nodes', namespaced: false };

let a: TestCluster;
let b: TestCluster;
let session: BridgeSession;
const events: Array<{ name: EventName; payload: unknown }> = [];

const { call, ok } = bridgeCalls(() => session);
async function nodeNames(): Promise<string[]> {
  return (await ok('list', { kind: 'nodes' })).items.map((n) => n.metadata?.name ?? '').sort();
}
const node = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });

/** A kubeconfig for B whose user is a client certificate its CA signed (CN the user, O system:masters). */
function certKubeconfig(): string {
  const d = path.join(b.dir, 'cert');
  fs.mkdirSync(d);
  const pki = path.join(b.dir, 'data', 'pki');
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', path.join(d, 'key.pem'),
    '-subj', '/CN=ui-tester/O=system:masters', '-out', path.join(d, 'req.csr')], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', path.join(d, 'req.csr'), '-CA', path.join(pki, 'ca.crt'), '-CAkey', path.join(pki, 'ca.key'),
    '-CAcreateserial', '-days', '1', '-out', path.join(d, 'cert.pem')], { stdio: 'ignore' });
  const file = path.join(d, 'config');
  fs.writeFileSync(file, stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'b-cert',
    clusters: [{ name: 'b', cluster: { server: b.core.api.url, 'certificate-authority': path.join(pki, 'ca.crt') } }],
    // Relative paths: from the kubeconfig's folder.
    users: [{ name: 'cert-user', user: { 'client-certificate': 'cert.pem', 'client-key': 'key.pem' } }],
    contexts: [{ name: 'b-cert', context: { cluster: 'b', user: 'cert-user' } }],
  }));
  return file;
}

beforeAll(async () => {
  [a, b] = await Promise.all([startTestCluster(), startTestCluster()]);
  await a.client.create(NODES, node('only-in-a'));
  await b.client.create(NODES, node('only-in-b'));
  const home = path.join(a.dir, 'home');
  session = createClusterSession(bridgeDepsOf(a.core), (name, payload) => events.push({ name, payload }),
    kubeconfigSources({ dataDir: a.core.dataDir, env: {}, home }));
}, 120_000);

afterAll(async () => {
  session?.dispose();
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('the UI on another cluster', () => {
  it('starts on this Flotilla and lists no contexts while no kubeconfig exists', async () => {
    const c = await ok('clusters', null);
    expect(c.active).toMatchObject({ id: '', flotilla: true, server: a.core.api.url });
    expect(c.contexts).toEqual([]);
    expect(c.files).toEqual([{ path: path.join(a.dir, 'home', '.kube', 'config'), added: false, error: expect.stringContaining('ENOENT') as unknown }]);
    expect(await nodeNames()).toEqual(['only-in-a']);
  });

  it('switches to a second control plane through its kubeconfig, and watches there', async () => {
    const added = await ok('addKubeconfig', { path: b.core.kubeconfigPath });
    expect(added.contexts.map((c) => [c.name, c.server, c.problem])).toEqual([['flotilla', b.core.api.url, undefined]]);
    const watch = await ok('watch', { kind: 'nodes', resourceVersion: (await ok('list', { kind: 'nodes' })).resourceVersion });
    const active = await ok('useCluster', { id: added.contexts[0].id });
    expect(active).toMatchObject({ name: 'flotilla', server: b.core.api.url, flotilla: false, namespace: 'default' });
    expect(await nodeNames()).toEqual(['only-in-b']);
    // The old cluster's watch ended with the switch: a node made in A now reaches no one.
    const before = events.length;
    await a.client.create(NODES, node('late-in-a'));
    const w = await ok('watch', { kind: 'nodes', resourceVersion: (await ok('list', { kind: 'nodes' })).resourceVersion });
    await b.client.create(NODES, node('new-in-b'));
    const seen = await waitFor(() => events.slice(before).map((e) => e.payload as BridgeEvents['watch'])
      .filter((p) => p.watchId === w.watchId).flatMap((p) => p.events.map((e) => e.object.metadata?.name))
      .find((n) => n === 'new-in-b'), 'a watch event from B', 10_000);
    expect(seen).toBe('new-in-b');
    expect(events.slice(before).some((e) => (e.payload as BridgeEvents['watch']).watchId === watch.watchId)).toBe(false);
    expect((await ok('clusters', null)).active.server).toBe(b.core.api.url);
  });

  it('refuses Flotilla-only actions there, naming the cluster', async () => {
    const r = await call('addMachine', { provider: 'sandbox', cpus: 1, memoryMiB: 512, diskGiB: 1 });
    expect(r).toEqual({ ok: false, error: { code: 400, reason: 'BadRequest', message: `addMachine is a Flotilla feature; the UI shows context "flotilla" (${b.core.api.url})` } });
    expect(await ok('providers', null)).toEqual([]);
  });

  it('connects with a client certificate', async () => {
    const added = await ok('addKubeconfig', { path: certKubeconfig() });
    const active = await ok('useCluster', { id: added.contexts[0].id });
    expect(active.name).toBe('b-cert');
    expect(await nodeNames()).toEqual(['new-in-b', 'only-in-b']);
  });

  it('says in words why a context cannot be used, and stays where it was', async () => {
    const wrongToken = stringify({
      clusters: [{ name: 'b', cluster: { server: b.core.api.url, 'certificate-authority-data': Buffer.from(b.core.caCertPem).toString('base64') } }],
      users: [{ name: 'nobody', user: { token: 'not-a-token' } }, { name: 'plugin', user: { exec: { command: 'aws' } } }],
      contexts: [
        { name: 'bad-token', context: { cluster: 'b', user: 'nobody' } },
        { name: 'untrusted', context: { cluster: 'a-ca', user: 'nobody' } },
        { name: 'closed', context: { cluster: 'closed', user: 'nobody' } },
        { name: 'exec', context: { cluster: 'b', user: 'plugin' } },
      ],
    }).replace('clusters:\n', `clusters:
  - name: a-ca
    cluster: { server: "${b.core.api.url}", certificate-authority-data: ${Buffer.from(a.core.caCertPem).toString('base64')} }
  - name: closed
    cluster: { server: "https://127.0.0.1:1" }
`);
    const added = await ok('addKubeconfig', { fileName: 'bad.yaml', content: wrongToken });
    expect(path.dirname(added.file)).toBe(path.join(a.core.dataDir, 'kubeconfigs'));
    const id = (n: string) => added.contexts.find((c) => c.name === n)?.id ?? '';
    const err = async (n: string) => {
      const r = await call('useCluster', { id: id(n) });
      return r.ok ? 'switched' : `${r.error.code} ${r.error.message}`;
    };
    expect(await err('bad-token')).toBe(`401 ${b.core.api.url} refused the credentials of user "nobody" (context "bad-token")`);
    expect(await err('untrusted')).toMatch(new RegExp(`^503 cannot reach ${b.core.api.url} \\(context "untrusted"\\): its TLS certificate is not trusted`));
    expect(await err('closed')).toBe('503 cannot reach https://127.0.0.1:1 (context "closed"): nothing listens there (connection refused)');
    expect(await err('exec')).toMatch(/^400 cannot use context "exec" of .*: its user authenticates with an exec plugin \(aws\)/);
    expect((await call('useCluster', { id: 'nope#x' }))).toMatchObject({ ok: false, error: { code: 404 } });
    expect(await call('addKubeconfig', { fileName: 'x', content: 'kind: Config' })).toMatchObject({ ok: false, error: { code: 400, message: expect.stringMatching(/has no contexts$/) as unknown } });
    expect(await call('addKubeconfig', {})).toMatchObject({ ok: false, error: { code: 400 } });
    // Still on B through the certificate.
    expect((await ok('clusters', null)).active.name).toBe('b-cert');
  });

  it('goes back to this Flotilla, and remembers the added files', async () => {
    expect(await ok('useCluster', { id: '' })).toMatchObject({ id: '', flotilla: true });
    expect(await nodeNames()).toEqual(['late-in-a', 'only-in-a']);
    const c = await ok('clusters', null);
    expect(c.files.filter((f) => f.added).map((f) => f.path)).toContain(b.core.kubeconfigPath);
    expect(c.contexts.map((x) => x.name)).toEqual(expect.arrayContaining(['flotilla', 'b-cert', 'bad-token']));
    await ok('removeKubeconfig', { path: b.core.kubeconfigPath });
    expect((await ok('clusters', null)).files.map((f) => f.path)).not.toContain(b.core.kubeconfigPath);
    expect(fs.existsSync(b.core.kubeconfigPath)).toBe(true);
  });
});
