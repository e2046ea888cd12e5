// The DaemonSet controller alone on an in-process control plane: the test registers nodes and
// plays scheduler and kubelet for the daemon pods; it asserts on the pods and status the
// controller writes.
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { daemonSetManifest } from '../../helpers/manifests';
import { registerNode, runPod } from '../../helpers/node-standin';

const DS = { apiVersion: 'apps/v1', kind: 'DaemonSet' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const NODE = { apiVersion: 'v1', kind: 'Node' };

const cp = controlPlaneEach('daemonset');

const ds = (name: string) => cp.get<DaemonSet>(DS, name, 'default');
const live = async (app: string) => (await cp.list<Pod>(POD, 'default', `app=${app}`)).filter((p) => !p.metadata?.deletionTimestamp);
/** The node a daemon pod is pinned to (node affinity on metadata.name, as Kubernetes pins them). */
const target = (p: Pod) =>
  p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
const targets = async (app: string) => (await live(app)).map(target).sort();
const waitTargets = (app: string, nodes: string[]) =>
  cp.waitFor(async () => { const t = await targets(app); return JSON.stringify(t) === JSON.stringify(nodes) ? t : undefined; }, `daemon pods on ${nodes.join(', ') || 'no node'}`);

describe('daemonset controller', () => {
  it('creates one pod per node, pinned by node affinity, tolerating the node conditions', async () => {
    for (const n of ['n1', 'n2', 'n3']) await registerNode(cp, n);
    const created = await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['n1', 'n2', 'n3']);
    const [p] = await live('agent');
    expect(p.spec?.nodeName).toBeUndefined(); // the scheduler binds it
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [target(p)] }] }]);
    expect(p.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: created.metadata!.uid, controller: true, blockOwnerDeletion: true }]);
    expect(p.metadata?.labels).toMatchObject({ app: 'agent', 'pod-template-generation': '1' });
    expect(p.metadata?.labels?.['controller-revision-hash']).toBeTruthy();
    const tolerated = (p.spec?.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
    for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) expect(tolerated).toContain(t);
  });

  it('reports desired, current, ready, available and updated counts per node', async () => {
    for (const n of ['n1', 'n2']) await registerNode(cp, n);
    await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['n1', 'n2']);
    // Created but not yet bound: already "current" (counted by target node, as Kubernetes does).
    const st = await cp.waitFor(async () => { const s = (await ds('agent')).status; return s?.currentNumberScheduled === 2 ? s : undefined; }, 'current 2');
    expect(st).toMatchObject({
      desiredNumberScheduled: 2, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 2, numberUnavailable: 2, observedGeneration: 1,
    });
    for (const p of await live('agent')) await runPod(cp, p, target(p)!, true);
    const ready = await cp.waitFor(async () => { const s = (await ds('agent')).status; return s?.numberReady === 2 ? s : undefined; }, 'ready 2');
    expect(ready).toMatchObject({ currentNumberScheduled: 2, numberAvailable: 2, updatedNumberScheduled: 2 });
    expect(ready.numberUnavailable ?? 0).toBe(0);
  });

  it('runs only on nodes matching the node selector, and follows label changes', async () => {
    await registerNode(cp, 'edge-1', { labels: { role: 'edge' } });
    await registerNode(cp, 'core-1', { labels: { role: 'core' } });
    await cp.create(daemonSetManifest('agent', { nodeSelector: { role: 'edge' } }));
    await waitTargets('agent', ['edge-1']);
    // The controller's node cache may lag the nodes registered just before: its first status can say 0; it must come to 1.
    await cp.waitFor(async () => ((await ds('agent')).status?.desiredNumberScheduled === 1 ? true : undefined), 'desired 1');
    await cp.patch(NODE, 'core-1', undefined, { metadata: { labels: { role: 'edge' } } });
    await waitTargets('agent', ['core-1', 'edge-1']);
    await cp.patch(NODE, 'edge-1', undefined, { metadata: { labels: { role: 'core' } } });
    await waitTargets('agent', ['core-1']);
  });

  it('skips nodes with taints it does not tolerate, runs on cordoned nodes', async () => {
    await registerNode(cp, 'plain');
    await registerNode(cp, 'dedicated', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await registerNode(cp, 'cordoned', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['cordoned', 'plain']);
    await cp.create(daemonSetManifest('gpu', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }));
    await waitTargets('gpu', ['cordoned', 'dedicated', 'plain']);
  });

  it('keeps its pod on a node newly tainted NoSchedule, removes it for an untolerated NoExecute taint', async () => {
    await registerNode(cp, 'n1');
    await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['n1']);
    await cp.patch(NODE, 'n1', undefined, { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } });
    const st = await cp.waitFor(async () => { const s = (await ds('agent')).status; return s?.desiredNumberScheduled === 0 ? s : undefined; }, 'desired 0');
    expect(st.numberMisscheduled).toBe(1); // it may stay, but would not be placed there now
    expect(await targets('agent')).toEqual(['n1']);
    await cp.patch(NODE, 'n1', undefined, { spec: { taints: [{ key: 'maintenance', effect: 'NoExecute' }] } });
    await waitTargets('agent', []);
  });

  it('replaces a failed daemon pod', async () => {
    await registerNode(cp, 'n1');
    await cp.create(daemonSetManifest('agent'));
    const [p] = await cp.waitFor(async () => { const l = await live('agent'); return l.length === 1 ? l : undefined; }, 'a pod');
    await runPod(cp, p, 'n1', true);
    await cp.patchStatus(POD, p.metadata!.name!, 'default', { phase: 'Failed' });
    await cp.waitFor(async () => (await cp.get<Pod>(POD, p.metadata!.name!, 'default')).metadata?.deletionTimestamp, 'failed pod deleted');
    await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    await cp.waitFor(async () => { const l = await live('agent'); return l.length === 1 && l[0].metadata?.name !== p.metadata?.name; }, 'a replacement');
  });

  it('follows nodes as they join and leave', async () => {
    await registerNode(cp, 'n1');
    await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['n1']);
    await registerNode(cp, 'n2');
    await waitTargets('agent', ['n1', 'n2']);
    await cp.delete(NODE, 'n1');
    await waitTargets('agent', ['n2']);
    await cp.waitFor(async () => (await ds('agent')).status?.desiredNumberScheduled === 1, 'desired 1');
  });

  it('replaces pods of an old template one node at a time (RollingUpdate), each once the old one is gone', async () => {
    for (const n of ['n1', 'n2']) await registerNode(cp, n);
    await cp.create(daemonSetManifest('agent'));
    await waitTargets('agent', ['n1', 'n2']);
    for (const p of await live('agent')) await runPod(cp, p, target(p)!, true);
    await cp.waitFor(async () => (await ds('agent')).status?.numberReady === 2, 'ready 2');
    await cp.patch(DS, 'agent', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    for (let i = 0; i < 2; i++) {
      // One old pod is deleted (terminating: its kubelet has yet to confirm), the other waits.
      const going = await cp.waitFor(async () => { const l = await cp.list<Pod>(POD, 'default', 'app=agent'); const t = l.filter((p) => p.metadata?.deletionTimestamp); return t.length === 1 ? t[0] : undefined; }, `old pod ${i + 1} terminating`);
      expect(going.spec?.containers[0].image).toBe('app:1');
      expect((await live('agent')).map((p) => p.spec?.containers[0].image)).toEqual(i === 0 ? ['app:1'] : ['app:2']);
      await cp.delete(POD, going.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 }); // the kubelet confirms
      const fresh = await cp.waitFor(async () => (await live('agent')).find((p) => target(p) === going.spec?.nodeName && p.spec?.containers[0].image === 'app:2'), `replacement on ${going.spec?.nodeName}`);
      await runPod(cp, fresh, going.spec!.nodeName!, true);
    }
    await cp.waitFor(async () => (await ds('agent')).status?.updatedNumberScheduled === 2, 'updated 2');
    expect(await targets('agent')).toEqual(['n1', 'n2']);
  });

  it('with OnDelete keeps old pods until they are deleted', async () => {
    await registerNode(cp, 'n1');
    await cp.create(daemonSetManifest('agent', {}, { updateStrategy: { type: 'OnDelete' } }));
    const [p] = await cp.waitFor(async () => { const l = await live('agent'); return l.length === 1 ? l : undefined; }, 'a pod');
    await runPod(cp, p, 'n1', true);
    await cp.patch(DS, 'agent', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } } });
    const st = await cp.waitFor(async () => { const s = (await ds('agent')).status; return s?.observedGeneration === 2 ? s : undefined; }, 'generation 2 observed');
    expect(st.updatedNumberScheduled).toBeUndefined(); // 0, which omitempty leaves out, as kube stores it
    expect((await live('agent')).map((x) => x.metadata?.name)).toEqual([p.metadata?.name]);
    await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    await cp.waitFor(async () => { const l = await live('agent'); return l.length === 1 && l[0].spec?.containers[0].image === 'app:2'; }, 'new template after delete');
  });
});
