// Node-local volumes on hollow nodes (benchmarks, `serve --hollow-nodes`): a pod with a claim of the default
// class runs, its claim is provisioned and bound; when pod and claim are deleted, the volume (reclaim policy
// Delete) goes too: the hollow node drops flotilla.dev/local-volume-cleanup as a real node's agent does after
// removing the directory, so nothing waits forever on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2);
});
afterAll(async () => {
  await c?.stop();
});

const MANIFEST = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: Pod
metadata: { name: user }
spec:
  containers: [{ name: c, image: registry.k8s.io/pause:3.10, volumeMounts: [{ name: data, mountPath: /data }] }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
`;

describe('local volumes on hollow nodes', () => {
  it('runs a pod with a provisioned claim, and lets the volume go once pod and claim are deleted', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: MANIFEST });
    await waitFor(async () => (await c.kubectlOk(['get', 'pod', 'user', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'pod user Running');
    const volume = await c.kubectlOk(['get', 'pvc', 'data', '-o', 'jsonpath={.status.phase} {.spec.volumeName}']);
    expect(volume).toMatch(/^Bound pvc-[0-9a-f-]+$/);
    const pv = volume.split(' ')[1];
    expect(await c.kubectlOk(['get', 'pv', pv, '-o', 'jsonpath={.metadata.finalizers}'])).toContain('flotilla.dev/local-volume-cleanup');
    await c.kubectlOk(['delete', 'pod', 'user', '--wait=true']);
    await c.kubectlOk(['delete', 'pvc', 'data', '--wait=true']);
    await waitFor(async () => (await c.kubectl(['get', 'pv', pv])).stderr.includes('NotFound'), `volume ${pv} gone`, 30_000);
  });

  it('makes a generic ephemeral volume\'s claim for its pod, owned by it, and deletes claim and volume with the pod', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata: { name: scratchy }
spec:
  containers: [{ name: c, image: registry.k8s.io/pause:3.10, volumeMounts: [{ name: scratch, mountPath: /scratch }] }]
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        metadata: { labels: { type: scratch } }
        spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
` });
    await waitFor(async () => (await c.kubectlOk(['get', 'pod', 'scratchy', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'pod scratchy Running');
    const pvc = JSON.parse(await c.kubectlOk(['get', 'pvc', 'scratchy-scratch', '-o', 'json'])) as {
      metadata: { labels?: Record<string, string>; ownerReferences?: Array<Record<string, unknown>> };
      spec: { volumeName?: string };
      status: { phase?: string };
    };
    const podUid = await c.kubectlOk(['get', 'pod', 'scratchy', '-o', 'jsonpath={.metadata.uid}']);
    expect(pvc.metadata.labels).toEqual({ type: 'scratch' });
    expect(pvc.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'scratchy', uid: podUid, controller: true, blockOwnerDeletion: true }]);
    expect(pvc.status.phase).toBe('Bound');
    const pv = pvc.spec.volumeName ?? '';
    await c.kubectlOk(['delete', 'pod', 'scratchy', '--wait=true']);
    await waitFor(async () => (await c.kubectl(['get', 'pvc', 'scratchy-scratch'])).stderr.includes('NotFound'), 'the claim gone with its pod', 30_000);
    await waitFor(async () => (await c.kubectl(['get', 'pv', pv])).stderr.includes('NotFound'), `volume ${pv} gone`, 30_000);
  });

  it('keeps a pod Pending whose ephemeral volume\'s claim name is taken by a claim it does not own', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: taken-scratch }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }
---
apiVersion: v1
kind: Pod
metadata: { name: taken }
spec:
  containers: [{ name: c, image: registry.k8s.io/pause:3.10 }]
  volumes: [{ name: scratch, ephemeral: { volumeClaimTemplate: { spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } } } } }]
` });
    const notOwner = 'PVC default/taken-scratch was not created for pod default/taken (pod is not owner)';
    await waitFor(async () => (await c.kubectlOk(['get', 'pod', 'taken', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}'])).includes(notOwner), 'the scheduler says why');
    expect(await c.kubectlOk(['get', 'pod', 'taken', '-o', 'jsonpath={.status.phase}'])).toBe('Pending');
    await waitFor(async () => (await c.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=taken,reason=FailedBinding', '-o', 'jsonpath={.items[*].message}']))
      .includes(`ephemeral volume scratch: ${notOwner}`), 'the ephemeral volume controller\'s event');
    await c.kubectlOk(['delete', 'pod', 'taken', '--wait=true']);
    await c.kubectlOk(['delete', 'pvc', 'taken-scratch', '--wait=false']);
  });
});
