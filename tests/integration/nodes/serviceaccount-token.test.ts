// A pod's own service-account token on a real sandbox node (containerd, runc, the real agent bundle,
// real kubectl): the projected volume at /var/run/secrets/kubernetes.io/serviceaccount holds the
// token, the cluster CA and the namespace, and the pod reaches the API server through the
// `kubernetes` Service (10.96.0.1:443 → a node's InternalIP:6443 → its tunnel) with that token:
// listing pods is forbidden until a RoleBinding grants it. The HTTPS client is the host's curl run in
// the pod's network namespace (pod-net.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';
import { curlFromPod, podPid } from './pod-net';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const MANIFEST = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: robot, namespace: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: caller, namespace: shop }
spec:
  serviceAccountName: robot
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: docker.io/flotilla/hello:1, command: [sh, -c, 'sleep 3600'] }]
`;

describe.skipIf(skipWithoutAgent)('a pod calls the API with its service-account token on a sandbox node', () => {
  const { c, ok } = sandboxCluster(7);

  const inPod = async (script: string): Promise<string> => {
    const r = await c.kubectl(['exec', '-n', 'shop', 'caller', '--', 'sh', '-c', script], { timeoutMs: 30_000 });
    return r.stdout + r.stderr;
  };

  /** The pod, its process on the host, and its own token and CA (written to a file for curl). */
  const podCredentials = async () => {
    const pod = await c.client.get<Pod & KObject>(R.pods, 'caller', 'shop');
    const pid = await waitFor(() => podPid(pod.metadata!.uid!, 'sleep'), 'the pod\'s process', 10_000);
    const token = await inPod(`cat ${SA_DIR}/token`);
    const caFile = `${c.dir}/pod-ca.crt`;
    fs.writeFileSync(caFile, await inPod(`cat ${SA_DIR}/ca.crt`));
    return { pod, pid, token, caFile };
  };

  beforeAll(async () => {
    await ok(['apply', '-f', '-'], MANIFEST);
    await waitFor(async () => (await c.client.get<Pod & KObject>(R.pods, 'caller', 'shop')).status?.containerStatuses?.[0]?.state?.running, 'pod caller running', 120_000, 250);
  }, 300_000);

  it('mounts the token, the cluster CA and the namespace', async () => {
    expect(await inPod(`cat ${SA_DIR}/namespace`)).toBe('shop');
    expect(await inPod(`cat ${SA_DIR}/ca.crt`)).toBe(c.core.caCertPem);
    expect((await inPod(`cat ${SA_DIR}/token`)).split('.')).toHaveLength(3);
  });

  it('lists pods through the kubernetes Service only after a RoleBinding grants it', async () => {
    const { pid, token, caFile } = await podCredentials();
    const listPods = () => curlFromPod(pid, token, caFile, 'https://10.96.0.1/api/v1/namespaces/shop/pods');
    // curl's own error, when the request does not get through, is the reason the wait reports.
    const denied = await waitFor(async () => {
      const out = await listPods();
      if (!out.startsWith('403 ')) throw new Error(out);
      return out;
    }, 'the API answers the pod 403', 30_000, 500);
    expect((JSON.parse(denied.slice(4)) as { message: string }).message).toBe('pods is forbidden: User "system:serviceaccount:shop:robot" cannot list resource "pods" in API group "" in the namespace "shop"');
    await ok(['create', 'rolebinding', 'robot-view', '-n', 'shop', '--clusterrole', 'view', '--serviceaccount', 'shop:robot']);
    const allowed = await waitFor(async () => {
      const out = await listPods();
      return out.startsWith('200 ') ? out : undefined;
    }, 'the pod lists pods', 30_000, 500);
    expect((JSON.parse(allowed.slice(4)) as { items: Pod[] }).items.map((p) => p.metadata?.name)).toEqual(['caller']);
  });

  it('reads the issuer\'s keys at the discovery document\'s jwks_uri, the in-cluster name of the API server', async () => {
    const { pid, token, caFile } = await podCredentials();
    // The name as the cluster DNS answers it (10.96.0.1); the serving certificate is checked for the name.
    const get = (url: string) => curlFromPod(pid, token, caFile, url, ['--resolve', 'kubernetes.default.svc.cluster.local:443:10.96.0.1']);
    const discovery = await get('https://kubernetes.default.svc.cluster.local/.well-known/openid-configuration');
    expect(discovery.slice(0, 4)).toBe('200 ');
    const jwksUri = (JSON.parse(discovery.slice(4)) as { jwks_uri: string }).jwks_uri;
    const jwks = await get(jwksUri);
    expect(jwks.slice(0, 4)).toBe('200 ');
    const kid = (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string }).kid;
    expect((JSON.parse(jwks.slice(4)) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid)).toEqual([kid]);
  });

  it("scrapes its node's kubelet port (status.hostIP:10250) with the same token and CA, as metrics-server does", async () => {
    const { pod, pid, token, caFile } = await podCredentials();
    const kubelet = (p: string) => curlFromPod(pid, token, caFile, `https://${pod.status!.hostIP!}:10250${p}`);
    // The serving certificate verifies against the cluster CA for the node's address; the answer is the kubelet's.
    expect(await kubelet('/stats/summary')).toBe('403 Forbidden (user=system:serviceaccount:shop:robot, verb=get, resource=nodes, subresource=stats)');
    expect(await kubelet('/pods')).toBe('403 Forbidden (user=system:serviceaccount:shop:robot, verb=get, resource=nodes, subresource=proxy)');
    await ok(['create', 'clusterrole', 'robot-node-metrics', '--verb=get', '--resource=nodes/metrics']);
    await ok(['create', 'clusterrolebinding', 'robot-node-metrics', '--clusterrole=robot-node-metrics', '--serviceaccount=shop:robot']);
    // nodes/metrics was not asked before (the kubelet remembers a denial 30 s): allowed at once.
    const metrics = await kubelet('/metrics/resource');
    expect(metrics.slice(0, 4)).toBe('200 ');
    expect(metrics).toMatch(/^container_memory_working_set_bytes\{container="sh",namespace="shop",pod="caller"\} \d+ \d+$/m);
    expect(metrics).toMatch(/^node_cpu_usage_seconds_total \S+ \d+$/m);
    expect(await kubelet('/pods')).toMatch(/^403 Forbidden \(user=system:serviceaccount:shop:robot, verb=get, resource=nodes, subresource=proxy\)$/);
  }, 90_000);
});
