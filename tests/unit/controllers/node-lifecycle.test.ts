// The node lifecycle controller alone on an in-process control plane (grace period 1 s): the test
// plays the kubelets — registering nodes, renewing or not renewing their Leases, posting Ready.
import { describe, expect, it } from 'vitest';
import type { Node, NodeCondition, Pod, Taint } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode, renewLease, runPod } from '../../helpers/node-standin';

const NODE = { apiVersion: 'v1', kind: 'Node' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const UNREACHABLE = 'node.kubernetes.io/unreachable';
const NOT_READY = 'node.kubernetes.io/not-ready';

const cp = controlPlaneEach('node-lifecycle', { nodeMonitorGracePeriodSeconds: 1, nodeMonitorPeriodMs: 100 });

const node = (name: string) => cp.get<Node>(NODE, name);
const ready = (n: Node): NodeCondition | undefined => n.status?.conditions?.find((c) => c.type === 'Ready');
const taints = (n: Node) => (n.spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();

/** Posts the node's Ready condition as its kubelet would (with a fresh heartbeat). */
async function postReady(name: string, status: 'True' | 'False'): Promise<void> {
  const n = await node(name);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const conditions = (n.status?.conditions ?? []).map((c) => c.type !== 'Ready' ? { ...c, lastHeartbeatTime: now }
    : { ...c, status, reason: status === 'True' ? 'KubeletReady' : 'KubeletNotReady', message: status === 'True' ? 'kubelet is posting ready status' : 'container runtime is down', lastHeartbeatTime: now, lastTransitionTime: now });
  await cp.patchStatus(NODE, name, undefined, { conditions });
}

describe('node lifecycle controller', () => {
  it('marks a node whose Lease stops Unknown, taints it unreachable and its pods not ready; a renewing node stays Ready', async () => {
    await registerNode(cp, 'alive');
    await registerNode(cp, 'silent');
    const pod = await cp.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await runPod(cp, pod, 'silent', true);
    const renewing = setInterval(() => void renewLease(cp, 'alive').catch(() => undefined), 200);
    try {
      const n = await cp.waitFor(async () => { const x = await node('silent'); return ready(x)?.status === 'Unknown' ? x : undefined; }, 'silent node Unknown');
      expect(ready(n)).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
      for (const c of n.status?.conditions ?? []) expect(c.status).toBe('Unknown');
      // Both nodes had the same grace period: the renewing one is still Ready and untainted.
      const a = await node('alive');
      expect(ready(a)?.status).toBe('True');
      expect(a.spec?.taints ?? []).toEqual([]);
    } finally {
      clearInterval(renewing);
    }
    const tainted = await cp.waitFor(async () => { const x = await node('silent'); return taints(x).length === 2 ? x : undefined; }, 'unreachable taints');
    expect(taints(tainted)).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(tainted.spec?.taints?.find((t) => t.effect === 'NoExecute')?.timeAdded).toBeTruthy();
    const p = await cp.waitFor(async () => { const x = await cp.get<Pod>(POD, 'p', 'default'); return x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False' ? x : undefined; }, 'pod not ready');
    expect(p.status?.phase).toBe('Running');
    const events = await cp.waitFor(async () => { const e = await cp.events('silent'); return e.some((x) => x.reason === 'NodeNotReady') ? e : undefined; }, 'NodeNotReady event');
    expect(events.find((x) => x.reason === 'NodeNotReady')?.message).toBe('Node silent status is now: NodeNotReady');
  });

  it('taints a node that reports NotReady with not-ready, and removes the taints when it is Ready again', async () => {
    await registerNode(cp, 'n1');
    await postReady('n1', 'False');
    const n = await cp.waitFor(async () => { const x = await node('n1'); return taints(x).length ? x : undefined; }, 'not-ready taints');
    expect(taints(n)).toEqual([`${NOT_READY}:NoExecute`, `${NOT_READY}:NoSchedule`]);
    expect(ready(n)?.status).toBe('False'); // the kubelet's report stands
    await postReady('n1', 'True');
    await cp.waitFor(async () => !taints(await node('n1')).length, 'taints removed');
  });

  it('taints a node reporting DiskPressure disk-pressure:NoSchedule (TaintNodesByCondition), and untaints it when the pressure goes', async () => {
    await registerNode(cp, 'full');
    const pressure = async (status: 'True' | 'False') => {
      const n = await node('full');
      const conditions = [...(n.status?.conditions ?? []).filter((c) => c.type !== 'DiskPressure'), { type: 'DiskPressure', status, reason: 'KubeletHasDiskPressure' }];
      await cp.patchStatus(NODE, 'full', undefined, { conditions });
    };
    await pressure('True');
    await cp.waitFor(async () => taints(await node('full')).join() === 'node.kubernetes.io/disk-pressure:NoSchedule', 'disk-pressure taint');
    await pressure('False');
    await cp.waitFor(async () => !taints(await node('full')).length, 'disk-pressure taint removed');
  });

  it('keeps taints that are not its own', async () => {
    await registerNode(cp, 'n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await postReady('n1', 'False');
    await cp.waitFor(async () => taints(await node('n1')).length === 3, 'not-ready taints added');
    await postReady('n1', 'True');
    const n = await cp.waitFor(async () => { const x = await node('n1'); return taints(x).length === 1 ? x : undefined; }, 'own taints removed');
    expect(n.spec?.taints).toEqual([{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
  });

  it('records RegisteredNode when it first sees a node and RemovingNode once the node is deleted', async () => {
    await registerNode(cp, 'short-lived');
    const uid = (await node('short-lived')).metadata?.uid;
    await cp.waitFor(async () => (await cp.events('short-lived')).some((e) => e.reason === 'RegisteredNode') || undefined, 'RegisteredNode event');
    await cp.delete(NODE, 'short-lived');
    const events = await cp.waitFor(async () => { const e = await cp.events('short-lived'); return e.some((x) => x.reason === 'RemovingNode') ? e : undefined; }, 'RemovingNode event');
    expect(events.find((e) => e.reason === 'RegisteredNode')?.message).toBe('Node short-lived event: Registered Node short-lived in Controller');
    expect(events.find((e) => e.reason === 'RemovingNode')?.message).toBe('Node short-lived event: Removing Node short-lived from Controller');
    // The node is gone, but the event names the node it was.
    expect((events.find((e) => e.reason === 'RemovingNode') as { involvedObject?: { kind?: string; uid?: string } }).involvedObject).toMatchObject({ kind: 'Node', uid });
  });
});
