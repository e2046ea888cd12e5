// runtimeClassName on a real sandbox node (containerd, runc, the real agent bundle, real kubectl): the agent
// passes the RuntimeClass's handler to RunPodSandbox as its runtime_handler. Handler `runc` (the runtime
// containerd's config names) runs the pod; a handler containerd does not know fails the sandbox as the
// kubelet reports it — a FailedCreatePodSandBox event with the runtime's gRPC error, the pod Pending with its
// container waiting in ContainerCreating.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const MANIFEST = `
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: { name: plain }
handler: runc
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: { name: exotic }
handler: kata-nowhere
---
apiVersion: v1
kind: Pod
metadata: { name: plain }
spec:
  runtimeClassName: plain
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: docker.io/flotilla/hello:1, command: [sh, -c, 'sleep 3600'] }]
---
apiVersion: v1
kind: Pod
metadata: { name: exotic }
spec:
  runtimeClassName: exotic
  terminationGracePeriodSeconds: 1
  containers: [{ name: sh, image: docker.io/flotilla/hello:1, command: [sh, -c, 'sleep 3600'] }]
`;

describe.skipIf(skipWithoutAgent)('runtimeClassName on a sandbox node', () => {
  const { ok } = sandboxCluster(21);

  it('runs a pod whose RuntimeClass handler is runc and fails the sandbox of an unknown handler as the kubelet does', async () => {
    await ok(['apply', '-f', '-'], MANIFEST);
    await ok(['wait', '--for=condition=Ready', 'pod/plain', '--timeout=90s'], undefined, 100_000);

    const event = await waitFor(async () => {
      const out = await ok(['get', 'events', '--field-selector=involvedObject.name=exotic,reason=FailedCreatePodSandBox', '-o',
        'jsonpath={.items[*].message}']);
      return out || undefined;
    }, 'the FailedCreatePodSandBox event', 60_000);
    expect(event).toContain('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox runtime: no runtime for "kata-nowhere" is configured');
    const pod = JSON.parse(await ok(['get', 'pod', 'exotic', '-o', 'json'])) as Pod;
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    const described = await ok(['describe', 'pod', 'exotic']);
    expect(described).toMatch(/Warning\s+FailedCreatePodSandBox\s+.*no runtime for "kata-nowhere" is configured/);
    await ok(['delete', 'pod', 'plain', 'exotic', '--wait=true', '--timeout=60s'], undefined, 70_000);
  });
});
