// Persistent volumes on a real sandbox node (containerd, runc, the real agent bundle, real kubectl): a claim
// of the default class is provisioned as a directory on its first pod's node; what the pod wrote survives
// the pod's deletion and is there for the next pod (placed on the same node), and survives a restart of
// the control plane (the claim stays Bound to the same volume); deleting the claim (reclaim policy Delete),
// or its namespace, removes the volume and its directory, while a Retain class keeps the directory and
// leaves the volume Released. A generic ephemeral volume's claim is made for its pod and goes with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { isNotFound } from '../../../main/client/types';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';
import { HttpClient } from '../../../main/client/http';
import { startCore } from '../../../main/core';
import { startTestCluster, waitFor, waitForReadyNode, type TestCluster } from '../../helpers/cluster';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

function claim(name: string, cls?: string, ns = 'default'): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${ns} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 100Mi } }
${cls ? `  storageClassName: ${cls}\n` : ''}`;
}

function pod(name: string, claimName: string, script: string, ns = 'default'): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: docker.io/flotilla/hello:1, command: [sh, -c, '${script}; sleep 3600'], volumeMounts: [{ name: data, mountPath: /data }] }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${claimName} } }]
`;
}

const RETAIN_CLASS = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: keep }
provisioner: flotilla.dev/local-path
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
`;

describe.skipIf(skipWithoutAgent)('persistent volumes on a sandbox node', () => {
  const cfg = uniqueSandbox(11);
  const logs: string[] = [];
  let c: TestCluster;

  const ok = (args: string[], input?: string): Promise<string> => c.kubectlOk(args, { input, timeoutMs: 60_000 });
  const running = (name: string, ns = 'default') => waitFor(async () => {
    const p = await c.client.get<Pod>(R.pods, name, ns);
    return p.status?.containerStatuses?.[0]?.state?.running ? p : undefined;
  }, `pod ${name} running`, 120_000, 250);
  const gone = async (r: typeof R.pods, name: string, ns?: string) => {
    try { await c.client.get(r, name, ns); return false; } catch (e) { if (isNotFound(e)) return true; throw e; }
  };
  const boundVolume = async (claimName: string, ns = 'default'): Promise<PersistentVolume> => {
    const pvc = await waitFor(async () => {
      const x = await c.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, claimName, ns);
      return x.status?.phase === 'Bound' ? x : undefined;
    }, `${claimName} Bound`, 30_000);
    return c.client.get<PersistentVolume>(R.persistentvolumes, pvc.spec?.volumeName ?? '');
  };
  const hostDir = (node: string, pv: PersistentVolume): string => hostPathOf(c.core.dataDir, node, pv.spec?.local?.path ?? '') ?? '';

  const nodeOptions = { sandbox: cfg, nodes: 1, provider: 'sandbox' as const, readyTimeoutMs: 90_000, log: (l: string) => logs.push(l) };

  beforeAll(async () => {
    c = await startTestCluster({ nodes: nodeOptions });
    // The node boots here, not inside the first test's time.
    await waitForReadyNode(c, 180_000);
  }, 300_000);

  /** Stops the control plane (the node and its pods keep running) and starts it again on the same data dir. */
  async function restartControlPlane(): Promise<void> {
    const old = c;
    await old.core.stop();
    old.client.close();
    const core = await startCore({ dataDir: old.core.dataDir, apiPort: 0, log: (l) => logs.push(l), nodes: nodeOptions });
    const client = new HttpClient({ server: core.api.url, token: core.auth.adminToken, caCertPem: core.caCertPem });
    c = {
      ...old, core, client,
      async stop() {
        client.close();
        await core.stop();
        fs.rmSync(old.dir, { recursive: true, force: true });
      },
    };
  }

  afterAll(async () => {
    if (!c) return;
    await stopClusterWithNodes(c, cfg, logs);
  }, 120_000);

  it('keeps a claim\'s data across its pods, on the node it was provisioned on', async () => {
    await ok(['apply', '-f', '-'], `${claim('data')}---\n${pod('writer', 'data', 'echo kept > /data/file')}`);
    const writer = await running('writer');
    const pv = await boundVolume('data');
    const node = writer.spec?.nodeName ?? '';
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values).toEqual([node]);
    const dir = hostDir(node, pv);
    await waitFor(() => fs.existsSync(`${dir}/file`), 'the file on the node', 10_000);
    expect(fs.readFileSync(`${dir}/file`, 'utf8')).toBe('kept\n');
    await ok(['delete', 'pod', 'writer', '--wait=true']);
    await ok(['apply', '-f', '-'], pod('reader', 'data', 'cat /data/file > /dev/termination-log'));
    const reader = await running('reader');
    expect(reader.spec?.nodeName).toBe(node);
    expect((await ok(['exec', 'reader', '--', 'cat', '/data/file'])).trim()).toBe('kept');
  });

  it('keeps the claim bound and its data through a restart of the control plane', async () => {
    const before = await boundVolume('data');
    await restartControlPlane();
    await waitFor(async () => (await c.kubectl(['get', 'nodes'])).stdout.includes(' Ready'), 'node Ready after the restart', 90_000, 500);
    expect((await ok(['exec', 'reader', '--', 'cat', '/data/file'])).trim()).toBe('kept');
    const after = await boundVolume('data');
    expect(after.metadata?.uid).toBe(before.metadata?.uid);
    expect(after.status?.phase).toBe('Bound');
    await ok(['delete', 'pod', 'reader', '--wait=true']);
    await ok(['apply', '-f', '-'], pod('reader', 'data', 'true'));
    await running('reader');
    expect((await ok(['exec', 'reader', '--', 'cat', '/data/file'])).trim()).toBe('kept');
  });

  it('removes the volume and its directory with the claim (Delete)', async () => {
    const pv = await boundVolume('data');
    const node = (await c.client.get<Pod>(R.pods, 'reader', 'default')).spec?.nodeName ?? '';
    const dir = hostDir(node, pv);
    // The claim waits for its pod (pvc-protection), then goes; then the volume and its directory.
    await ok(['delete', 'pvc', 'data', '--wait=false']);
    expect(await ok(['get', 'pvc', 'data'])).toMatch(/data\s+Terminating/);
    await ok(['delete', 'pod', 'reader', '--wait=true']);
    await waitFor(() => gone(R.persistentvolumeclaims, 'data', 'default'), 'claim gone', 30_000);
    await waitFor(() => gone(R.persistentvolumes, pv.metadata?.name ?? ''), 'volume gone', 30_000);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('deletes a namespace\'s claims and, with them, their volumes\' data', async () => {
    await ok(['create', 'namespace', 'scratch']);
    await ok(['apply', '-f', '-'], `${claim('tmp', undefined, 'scratch')}---\n${pod('user', 'tmp', 'echo x > /data/file', 'scratch')}`);
    const user = await running('user', 'scratch');
    const pv = await boundVolume('tmp', 'scratch');
    const dir = hostDir(user.spec?.nodeName ?? '', pv);
    await waitFor(() => fs.existsSync(`${dir}/file`), 'the file on the node', 10_000);
    await ok(['delete', 'namespace', 'scratch', '--wait=false']);
    await waitFor(() => gone(R.persistentvolumes, pv.metadata?.name ?? ''), 'volume gone', 60_000);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('mounts a generic ephemeral volume in its pod, and removes claim, volume and directory with the pod', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: { name: scratchy }
spec:
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: docker.io/flotilla/hello:1, command: [sh, -c, 'echo scratch > /scratch/file; sleep 3600'], volumeMounts: [{ name: scratch, mountPath: /scratch }] }]
  volumes: [{ name: scratch, ephemeral: { volumeClaimTemplate: { spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 50Mi } } } } } }]
`);
    const user = await running('scratchy');
    const pv = await boundVolume('scratchy-scratch');
    const dir = hostDir(user.spec?.nodeName ?? '', pv);
    await waitFor(() => fs.existsSync(`${dir}/file`), 'the file on the node', 10_000);
    expect((await ok(['exec', 'scratchy', '--', 'cat', '/scratch/file'])).trim()).toBe('scratch');
    await ok(['delete', 'pod', 'scratchy', '--wait=true']);
    await waitFor(() => gone(R.persistentvolumeclaims, 'scratchy-scratch', 'default'), 'claim gone with its pod', 30_000);
    await waitFor(() => gone(R.persistentvolumes, pv.metadata?.name ?? ''), 'volume gone', 30_000);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('keeps the directory of a Retain volume, which is Released when its claim goes', async () => {
    await ok(['apply', '-f', '-'], `${RETAIN_CLASS}---\n${claim('kept', 'keep')}---\n${pod('keeper', 'kept', 'echo safe > /data/file')}`);
    const keeper = await running('keeper');
    const pv = await boundVolume('kept');
    const dir = hostDir(keeper.spec?.nodeName ?? '', pv);
    await waitFor(() => fs.existsSync(`${dir}/file`), 'the file on the node', 10_000);
    await ok(['delete', 'pod', 'keeper', '--wait=true']);
    await ok(['delete', 'pvc', 'kept', '--wait=true']);
    await waitFor(async () => (await c.client.get<PersistentVolume>(R.persistentvolumes, pv.metadata?.name ?? '')).status?.phase === 'Released', 'volume Released', 30_000);
    expect(await ok(['get', 'pv', pv.metadata?.name ?? ''])).toMatch(/Retain\s+Released\s+default\/kept\s+keep/);
    expect(fs.readFileSync(`${dir}/file`, 'utf8')).toBe('safe\n');
    // Deleting a Retain volume keeps the data too.
    await ok(['delete', 'pv', pv.metadata?.name ?? '', '--wait=true']);
    expect(fs.readFileSync(`${dir}/file`, 'utf8')).toBe('safe\n');
  });
});
