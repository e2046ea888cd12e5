// The DaemonSet controller's revision history and surge rollouts, alone on an in-process control
// plane (the test plays scheduler and kubelet): each template is a ControllerRevision whose hash
// labels the pods, numbered in order and pruned beyond revisionHistoryLimit; with maxSurge a new
// pod starts beside the old one, which goes once the new one is available.
import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet, Pod } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { daemonSetManifest } from '../../helpers/manifests';
import { registerNode, runPod } from '../../helpers/node-standin';

const DS = { apiVersion: 'apps/v1', kind: 'DaemonSet' };
const POD = { apiVersion: 'v1', kind: 'Pod' };
const CR = { apiVersion: 'apps/v1', kind: 'ControllerRevision' };

const cp = controlPlaneEach('daemonset');

const live = async () => (await cp.list<Pod>(POD, 'default', 'app=agent')).filter((p) => !p.metadata?.deletionTimestamp);
const target = (p: Pod) => p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '';
const revisions = async () => (await cp.list<ControllerRevision>(CR, 'default')).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
const image = (img: string) => cp.patch(DS, 'agent', 'default', { spec: { template: { spec: { containers: [{ name: 'app', image: img }] } } } });
const runAll = async () => { for (const p of await live()) if (p.status?.phase !== 'Running') await runPod(cp, p, target(p), true); };
const finishTerminating = async () => {
  for (const p of await cp.list<Pod>(POD, 'default', 'app=agent')) if (p.metadata?.deletionTimestamp) await cp.delete(POD, p.metadata.name!, { namespace: 'default', gracePeriodSeconds: 0 });
};

describe('daemonset revision history', () => {
  it('records each template as a numbered ControllerRevision whose hash labels the pods, and prunes old ones', async () => {
    await registerNode(cp, 'n1');
    const ds = await cp.create(daemonSetManifest('agent', {}, { revisionHistoryLimit: 1, updateStrategy: { type: 'OnDelete' } }));
    const [first] = await cp.waitFor(async () => { const r = await revisions(); return r.length === 1 ? r : undefined; }, 'revision 1');
    const hash = first.metadata?.labels?.['controller-revision-hash'];
    expect(first.metadata?.name).toBe(`agent-${hash}`);
    expect(first.revision).toBe(1);
    expect(first.metadata?.labels?.app).toBe('agent');
    expect(first.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', uid: ds.metadata!.uid, controller: true });
    expect((first.data as { spec: { template: { $patch: string } } }).spec.template.$patch).toBe('replace');
    const [pod] = await cp.waitFor(async () => { const l = await live(); return l.length === 1 ? l : undefined; }, 'a pod');
    expect(pod.metadata?.labels?.['controller-revision-hash']).toBe(hash);

    await image('app:2');
    await cp.waitFor(async () => (await revisions()).map((r) => r.revision).join() === '1,2', 'revisions 1,2 (the pod still runs revision 1)');
    await image('app:3');
    // Revision 1 is still live (its pod runs), revision 2 is the one history entry allowed beside it.
    await cp.waitFor(async () => (await revisions()).map((r) => r.revision).join() === '1,2,3', 'revisions 1,2,3');
    await cp.delete(POD, pod.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    await cp.waitFor(async () => (await live()).some((p) => p.spec?.containers[0].image === 'app:3'), 'a pod at app:3');
    await cp.waitFor(async () => (await revisions()).map((r) => r.revision).join() === '2,3', 'revision 1 pruned');
    // Going back to app:2 renumbers its revision rather than creating another.
    const two = (await revisions())[0].metadata?.name;
    await image('app:2');
    await cp.waitFor(async () => (await revisions()).map((r) => `${r.metadata?.name}=${r.revision}`).includes(`${two}=4`), 'app:2 renumbered 4');
  });

  it('surges: a new pod beside the old one on up to maxSurge nodes, the old one deleted once the new one is available', async () => {
    for (const n of ['n1', 'n2']) await registerNode(cp, n);
    await cp.create(daemonSetManifest('agent', {}, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await cp.waitFor(async () => (await live()).length === 2, 'two pods');
    await runAll();
    await cp.waitFor(async () => (await cp.get<DaemonSet>(DS, 'agent', 'default')).status?.numberReady === 2, 'ready 2');
    await image('app:2');
    const fresh = await cp.waitFor(async () => { const l = (await live()).filter((p) => p.spec?.containers[0].image === 'app:2'); return l.length === 1 ? l[0] : undefined; }, 'one surge pod');
    const node = target(fresh);
    // Both old pods keep running while the new one is not available; no second surge pod.
    expect((await live()).filter((p) => p.spec?.containers[0].image === 'app:1').length).toBe(2);
    await runPod(cp, fresh, node, true);
    await cp.waitFor(async () => (await cp.list<Pod>(POD, 'default', 'app=agent')).some((p) => p.metadata?.deletionTimestamp && target(p) === node), `old pod on ${node} deleted`);
    await finishTerminating();
    const second = await cp.waitFor(async () => (await live()).find((p) => p.spec?.containers[0].image === 'app:2' && target(p) !== node), 'surge pod on the other node');
    await runPod(cp, second, target(second), true);
    await cp.waitFor(async () => (await cp.list<Pod>(POD, 'default', 'app=agent')).some((p) => p.metadata?.deletionTimestamp && target(p) === target(second)), 'second old pod deleted');
    await finishTerminating();
    await cp.waitFor(async () => (await cp.get<DaemonSet>(DS, 'agent', 'default')).status?.updatedNumberScheduled === 2, 'updated 2');
    expect((await live()).map((p) => p.spec?.containers[0].image)).toEqual(['app:2', 'app:2']);
  });
});
