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
});
