// What the volume plugins write, from real ConfigMaps and Secrets in the in-process API read through the
// agent's object watches: items and modes, optional sources and keys, Kubernetes' messages for missing
// ones, the downward API's formats, projected sources merged; a volume updated when its ConfigMap
// changes; and the token manager's refresh at 80% of a token's lifetime.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import { pollUntil } from '../../../main/protocol/poll';
import { ObjectWatches } from '../../../vm-images/agent/sync/object-watches';
import type { Payload } from '../../../vm-images/agent/volumes/atomic-writer';
import { addDownwardAPI } from '../../../vm-images/agent/volumes/downward-api';
import { addKeyToPath } from '../../../vm-images/agent/volumes/key-to-path';
import { VolumeManager } from '../../../vm-images/agent/volumes/manager';
import { projectedPayload } from '../../../vm-images/agent/volumes/projected';
import { TokenManager, type TokenRequestSpec } from '../../../vm-images/agent/volumes/service-account-token';
import { startInProcessApi, type InProcessApi } from '../../helpers/in-process-api';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-volpay-'));
let api: InProcessApi;
let objects: ObjectWatches;
const changed: string[][] = [];

beforeAll(async () => {
  api = await startInProcessApi();
  objects = new ObjectWatches(api.client, { onError: () => undefined, onChange: (uids) => changed.push(uids) });
  await api.client.create(R.configmaps, { metadata: { name: 'cfg', namespace: 'default' }, data: { 'a.conf': 'A', b: 'B' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } });
  await api.client.create(R.secrets, { metadata: { name: 'sec', namespace: 'default' }, data: { password: Buffer.from('hunter2').toString('base64') } });
});
afterAll(() => {
  objects?.stop();
  api?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (p: Payload): Record<string, [string, string]> =>
  Object.fromEntries([...p].map(([k, f]) => [k, [f.data.toString('utf8'), f.mode.toString(8)]]));

async function keyToPath(kind: 'ConfigMap' | 'Secret', src: Parameters<typeof addKeyToPath>[3], mode = 0o644): Promise<Record<string, [string, string]> | string> {
  const p: Payload = new Map();
  try { await addKeyToPath(objects, kind, 'default', src, mode, p); } catch (e) { return (e as Error).message; }
  return text(p);
}

describe('configMap and secret payloads', () => {
  it('write every key (data and binaryData) with the default mode, or the items at their paths and modes', async () => {
    expect(await keyToPath('ConfigMap', { name: 'cfg' })).toEqual({ 'a.conf': ['A', '644'], b: ['B', '644'], bin: ['\u0000\u0001\u0002', '644'] });
    expect(await keyToPath('ConfigMap', { name: 'cfg', items: [{ key: 'b', path: 'dir/b.txt', mode: 0o400 }] }, 0o600)).toEqual({ 'dir/b.txt': ['B', '400'] });
    expect(await keyToPath('Secret', { name: 'sec' }, 0o440)).toEqual({ password: ['hunter2', '440'] });
  });

  it('fail with Kubernetes\' messages for a missing object or key unless optional', async () => {
    expect(await keyToPath('ConfigMap', { name: 'nope' })).toBe('configmap "nope" not found');
    expect(await keyToPath('Secret', { name: 'nope' })).toBe('secret "nope" not found');
    expect(await keyToPath('ConfigMap', { name: 'nope', optional: true })).toEqual({});
    expect(await keyToPath('ConfigMap', { name: 'cfg', items: [{ key: 'zz', path: 'z' }] })).toBe('configmap references non-existent config key: zz');
    expect(await keyToPath('Secret', { name: 'sec', items: [{ key: 'zz', path: 'z' }] })).toBe('secret references non-existent secret key: zz');
    expect(await keyToPath('ConfigMap', { name: 'cfg', optional: true, items: [{ key: 'zz', path: 'z' }, { key: 'b', path: 'b' }] })).toEqual({ b: ['B', '644'] });
  });
});

const pod: Pod = {
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'say "hi"' } },
  spec: { serviceAccountName: 'robot', containers: [{ name: 'app', image: 'i', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m', memory: '32Mi' } } }] },
};

describe('downward API and projected payloads', () => {
  it('write fields (labels and annotations as sorted key="value" lines) and resources with a divisor', () => {
    const p: Payload = new Map();
    addDownwardAPI(pod, [
      { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } },
      { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' }, mode: 0o400 }, { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
      { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu', divisor: '1m' } },
      { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'requests.memory', divisor: '1Mi' } },
    ], 0o644, p);
    expect(text(p)).toEqual({
      labels: ['app="web"\ntier="fe"', '644'], annotations: ['note="say \\"hi\\""', '644'], name: ['web', '644'], ns: ['default', '644'],
      uid: ['uid-1', '400'], tier: ['fe', '644'], cpu: ['500', '644'], mem: ['32', '644'],
    });
  });

  it('merge configMap, secret, downwardAPI and a service account token bound to the pod; the token 0600 and owned by the runAsUser', async () => {
    const requests: Array<[string, string, TokenRequestSpec]> = [];
    const tokens = new TokenManager(async (ns, sa, spec) => {
      requests.push([ns, sa, spec]);
      return { token: `tok-${requests.length}`, expirationTimestamp: new Date(Date.now() + spec.expirationSeconds * 1000).toISOString() };
    });
    const src = { defaultMode: 0o444, sources: [
      { serviceAccountToken: { path: 'token', audience: 'vault', expirationSeconds: 3607 } },
      { configMap: { name: 'cfg', items: [{ key: 'a.conf', path: 'ca.crt' }] } },
      { secret: { name: 'sec' } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ] };
    const plain = await projectedPayload({ pod, objects, tokens }, src);
    expect(text(plain)).toEqual({ token: ['tok-1', '444'], 'ca.crt': ['A', '444'], password: ['hunter2', '444'], namespace: ['default', '444'] });
    expect(requests).toEqual([['default', 'robot', { audiences: ['vault'], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-1' } }]]);
    const owned = await projectedPayload({ pod, objects, tokens, fsUser: 1000 }, src);
    expect(owned.get('token')).toMatchObject({ mode: 0o600, fsUser: 1000 });
    expect(requests).toHaveLength(1); // cached
  });

  it('the token manager refreshes a token once 80% of its lifetime has passed', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    let n = 0;
    const tokens = new TokenManager(async (_ns, _sa, spec) => ({ token: `t${++n}`, expirationTimestamp: new Date(now + spec.expirationSeconds * 1000).toISOString() }), () => now);
    const spec: TokenRequestSpec = { expirationSeconds: 1000, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'u' } };
    expect(await tokens.get('ns', 'sa', spec)).toBe('t1');
    now += 799_000;
    expect(await tokens.get('ns', 'sa', spec)).toBe('t1');
    now += 1000;
    expect(await tokens.get('ns', 'sa', spec)).toBe('t2');
    now += 1000;
    expect(await tokens.get('ns', 'sa', spec)).toBe('t2');
    tokens.forgetPod('u');
    expect(await tokens.get('ns', 'sa', spec)).toBe('t3');
  });
});

describe('volume manager on disk', () => {
  it('writes a configMap volume, rewrites it when the ConfigMap changes (watch reported), and tears it down', async () => {
    const vm = new VolumeManager({ podsDir: path.join(tmp, 'pods'), objects });
    const p: Pod = { ...pod, metadata: { ...pod.metadata, uid: 'uid-vm' }, spec: { ...pod.spec!, volumes: [{ name: 'conf', configMap: { name: 'cfg', items: [{ key: 'b', path: 'b' }] } }, { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] } };
    const vols = await vm.setUp(p);
    const conf = vols.get('conf')?.hostPath ?? '';
    expect(conf).toBe(path.join(tmp, 'pods', 'uid-vm', 'volumes', 'kubernetes.io~configmap', 'conf'));
    expect(fs.readFileSync(path.join(conf, 'b'), 'utf8')).toBe('B');
    expect(fs.statSync(conf).mode & 0o777).toBe(0o777);
    const cm = await api.client.get(R.configmaps, 'cfg', 'default');
    await api.client.update(R.configmaps, { ...cm, data: { 'a.conf': 'A', b: 'B2' } });
    await pollUntil(() => changed.some((u) => u.includes('uid-vm')), 5000, 'the watch reporting the change for the pod');
    await pollUntil(async () => { await vm.setUp(p); return fs.readFileSync(path.join(conf, 'b'), 'utf8') === 'B2'; }, 5000, 'the new content in the volume');
    const info = vols.get('info')?.hostPath ?? '';
    await vm.setUp({ ...p, metadata: { ...p.metadata, labels: { app: 'web2' } } });
    expect(fs.readFileSync(path.join(info, 'labels'), 'utf8')).toBe('app="web2"');
    expect(await vm.cleanupOrphans(new Set())).toEqual([]); // the pod is known: not an orphan
    await vm.tearDown('uid-vm');
    expect(fs.existsSync(path.join(tmp, 'pods', 'uid-vm'))).toBe(false);
    fs.mkdirSync(path.join(tmp, 'pods', 'left-over', 'volumes'), { recursive: true });
    expect(await vm.cleanupOrphans(new Set(['other']))).toEqual(['left-over']);
    expect(fs.readdirSync(path.join(tmp, 'pods'))).toEqual([]);
  });

  it('a persistentVolumeClaim mounts its bound volume\'s path; a missing or unbound claim fails the mount naming it', async () => {
    const vm = new VolumeManager({ podsDir: path.join(tmp, 'pods'), objects, client: api.client });
    const p: Pod = { ...pod, metadata: { ...pod.metadata, uid: 'uid-pvc' }, spec: { ...pod.spec!, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } };
    await expect(vm.setUp(p)).rejects.toThrow('persistentvolumeclaim "data" not found');
    const ns = pod.metadata?.namespace ?? 'default';
    const claim = await api.client.create(R.persistentvolumeclaims, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } },
    }, { namespace: ns });
    await expect(vm.setUp(p)).rejects.toThrow(`PVC ${ns}/data is not bound`);
    const dir = path.join(tmp, 'pv-data');
    fs.mkdirSync(dir);
    await api.client.create(R.persistentvolumes, {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-data' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: dir } },
    });
    const bound = await api.client.update(R.persistentvolumeclaims, { ...claim, spec: { ...claim.spec as object, volumeName: 'pv-data' } }, { namespace: ns });
    await api.client.update(R.persistentvolumeclaims, { ...bound, status: { phase: 'Bound' } }, { namespace: ns, subresource: 'status' });
    expect((await vm.setUp(p)).get('data')).toEqual({ hostPath: dir });
    await vm.tearDown('uid-pvc');
    expect(fs.existsSync(dir)).toBe(true);
  });
});
