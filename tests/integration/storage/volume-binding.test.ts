// Claims, the scheduler and the PersistentVolume controller together on hollow nodes, through real kubectl:
// the default StorageClass, a claim bound on its first pod's node, that pod's successor placed on the same
// node, and pods kept Pending with Kubernetes' messages when their claim is missing, unbound with an
// Immediate class, or bound to a volume no node can reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, PersistentVolume, PersistentVolumeClaim, Pod } from '../../../main/api/types';
import { ANN_SELECTED_NODE } from '../../../main/api/storage';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(3);
});
afterAll(async () => {
  await c?.stop();
});

const PREEMPTION = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';

function podYaml(name: string, claim: string, ns = 'default'): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns} }
spec:
  containers: [{ name: c, image: busybox }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: ${claim} } }]
`;
}

function claimYaml(name: string, extra = '', ns = 'default'): string {
  return `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: ${name}, namespace: ${ns} }
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
${extra}`;
}

async function unschedulableMessage(name: string): Promise<string> {
  return waitFor(async () => {
    const p = await c.core.client.get<Pod & KObject>(R.pods, name, 'default');
    const cond = p.status?.conditions?.find((x) => x.type === 'PodScheduled');
    return cond?.status === 'False' && cond.reason === 'Unschedulable' ? cond.message : undefined;
  }, `${name} unschedulable`, 10_000);
}

async function scheduledNode(name: string, ns = 'default'): Promise<string> {
  return waitFor(async () => (await c.core.client.get<Pod>(R.pods, name, ns)).spec?.nodeName, `${name} scheduled`, 10_000);
}

describe('volume binding', () => {
  it('has a default StorageClass and gives class-less claims to it', async () => {
    const sc = await waitFor(async () => {
      const r = await c.kubectl(['get', 'sc']);
      return r.stdout.includes('standard') ? r.stdout : undefined;
    }, 'default StorageClass', 10_000);
    expect(sc).toMatch(/standard \(default\)\s+flotilla\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s+true\s+\d+s/);
    await c.kubectlOk(['apply', '-f', '-'], { input: claimYaml('data') });
    const pvc = await c.core.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'data', 'default');
    expect(pvc.spec?.storageClassName).toBe('standard');
    expect(pvc.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(await c.kubectlOk(['get', 'pvc', 'data'])).toMatch(/data\s+Pending\s+standard\s+<unset>\s+\d+s/);
  });

  it('binds the claim on its first pod\'s node and places the next pod using it on that node', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('first', 'data') });
    const node = await scheduledNode('first');
    const pvc = await waitFor(async () => {
      const x = await c.core.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'data', 'default');
      return x.status?.phase === 'Bound' ? x : undefined;
    }, 'claim Bound', 10_000);
    expect(pvc.metadata?.annotations?.[ANN_SELECTED_NODE]).toBe(node);
    const pvName = pvc.spec?.volumeName ?? '';
    expect(pvName).toBe(`pvc-${pvc.metadata?.uid}`);
    const pv = await c.core.client.get<PersistentVolume>(R.persistentvolumes, pvName);
    expect(pv.metadata?.finalizers).toEqual(['kubernetes.io/pv-protection', 'flotilla.dev/local-volume-cleanup']);
    expect(await c.kubectlOk(['get', 'pvc', 'data'])).toMatch(new RegExp(`data\\s+Bound\\s+${pvName}\\s+1Gi\\s+RWO\\s+standard\\s+<unset>\\s+\\d+s`));
    expect(await c.kubectlOk(['get', 'pv', pvName])).toMatch(new RegExp(`${pvName}\\s+1Gi\\s+RWO\\s+Delete\\s+Bound\\s+default/data\\s+standard\\s+<unset>\\s+\\d+s`));
    await c.kubectlOk(['delete', 'pod', 'first', '--grace-period=0', '--force']);
    for (let i = 0; i < 3; i++) {
      await c.kubectlOk(['apply', '-f', '-'], { input: podYaml(`next-${i}`, 'data') });
      expect(await scheduledNode(`next-${i}`)).toBe(node);
    }
  });

  it('keeps a pod Pending with Kubernetes\' messages: claim missing, unbound Immediate claim, volume node gone', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('no-claim', 'nope') });
    expect(await unschedulableMessage('no-claim')).toBe(`0/3 nodes are available: persistentvolumeclaim "nope" not found. ${PREEMPTION}`);

    await c.kubectlOk(['apply', '-f', '-'], { input: claimYaml('immediate', '  storageClassName: manual\n') });
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('waits', 'immediate') });
    expect(await unschedulableMessage('waits')).toBe(`0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ${PREEMPTION}`);

    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: v1
kind: PersistentVolume
metadata: { name: on-gone-node }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  local: { path: /var/lib/flotilla/volumes/on-gone-node }
  nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: kubernetes.io/hostname, operator: In, values: [gone-node] }] }] } }
` });
    // The Immediate claim binds to it; the waiting pod now fits no node.
    const conflict = await waitFor(async () => {
      const m = await unschedulableMessage('waits');
      return m.includes('affinity') ? m : undefined;
    }, 'affinity conflict', 10_000);
    expect(conflict).toBe(`0/3 nodes are available: 3 node(s) had volume node affinity conflict. ${PREEMPTION}`);
    expect(await c.kubectlOk(['get', 'pvc', 'immediate'])).toMatch(/immediate\s+Bound\s+on-gone-node\s+1Gi\s+RWO\s+manual/);
  });

  it('gives a ReadWriteOncePod claim to one pod at a time, and refuses ReadWriteMany on the node-local class', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: claimYaml('solo').replace('[ReadWriteOnce]', '[ReadWriteOncePod]') });
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('solo-a', 'solo') });
    await scheduledNode('solo-a');
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('solo-b', 'solo') });
    expect(await unschedulableMessage('solo-b')).toBe(
      `0/3 nodes are available: node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. ${PREEMPTION}`);
    await c.kubectlOk(['apply', '-f', '-'], { input: claimYaml('shared').replace('[ReadWriteOnce]', '[ReadWriteMany]') });
    await c.kubectlOk(['apply', '-f', '-'], { input: podYaml('sharer', 'shared') });
    expect(await unschedulableMessage('sharer')).toBe(`0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. ${PREEMPTION}`);
    const described = await waitFor(async () => {
      const d = await c.kubectlOk(['describe', 'pvc', 'shared']);
      return d.includes('ProvisioningFailed') ? d : undefined;
    }, 'ProvisioningFailed in describe', 10_000);
    expect(described).toContain('access modes ReadWriteMany and ReadOnlyMany are not supported, use ReadWriteOnce or ReadWriteOncePod');
  });

  it('deletes a namespace\'s claims with it, and their provisioned volumes with them', async () => {
    await c.kubectlOk(['create', 'namespace', 'scratch']);
    await c.kubectlOk(['apply', '-f', '-'], { input: `${claimYaml('tmp', '', 'scratch')}---\n${podYaml('user', 'tmp', 'scratch')}` });
    await scheduledNode('user', 'scratch');
    const pvName = await waitFor(async () => {
      const x = await c.core.client.get<PersistentVolumeClaim>(R.persistentvolumeclaims, 'tmp', 'scratch');
      return x.status?.phase === 'Bound' ? x.spec?.volumeName : undefined;
    }, 'claim Bound', 10_000);
    await c.kubectlOk(['delete', 'namespace', 'scratch', '--wait=false']);
    // The volume is deleted; a hollow node has no directory to remove and drops its cleanup finalizer at once.
    await waitFor(async () => (await c.kubectl(['get', 'pv', pvName])).stderr.includes('NotFound'), 'volume gone', 20_000);
  });
});
