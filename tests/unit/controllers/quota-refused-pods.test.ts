// Workloads whose pods a ResourceQuota refuses (their controllers and the quota controller on an in-process control
// plane). A ReplicaSet's status still counts the pods it has and observes the new generation, a ReplicaFailure
// condition (FailedCreate, the API's refusal) says why the rest are missing, the Deployment carries it over, and both
// go away once the pods can be made — as syncReplicaSet's calculateStatus and syncRolloutStatus do. A DaemonSet
// writes its status and retries with back-off until the quota allows (syncDaemonSet returns the error).
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Deployment, Pod, ReplicaSet, ResourceQuota } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { daemonSetManifest, deploymentManifest, replicaSetManifest } from '../../helpers/manifests';
import { registerNode } from '../../helpers/node-standin';

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;
const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const RQ = { apiVersion: 'v1', kind: 'ResourceQuota' } as const;

// Admission on, as in `flotilla serve`: the ResourceQuota plugin refuses pods (and the ServiceAccount plugin wants the
// namespace's default account, which its controller makes).
const cp = controlPlaneEach('replicaset', {}, async (plane) => {
  await plane.startController('serviceaccount');
  await plane.startController('resourcequota');
  await plane.startController('deployment');
  await plane.startController('daemonset');
}, { admission: true });

async function quota(pods: number): Promise<void> {
  await cp.create<ResourceQuota>({ ...RQ, metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: String(pods) } } });
  await cp.waitFor(async () => (await cp.get<ResourceQuota>(RQ, 'q', 'default')).status?.hard?.pods === String(pods), 'the quota in force');
}

describe('ReplicaFailure', () => {
  it('a ReplicaSet refused pods by a quota counts what it has, says why, and clears it once the quota allows', async () => {
    await quota(2);
    await cp.create(replicaSetManifest('web', 2));
    await cp.waitFor(async () => (await cp.get<ReplicaSet>(RS, 'web', 'default')).status?.replicas === 2, '2 replicas');
    await cp.patch(RS, 'web', 'default', { spec: { replicas: 4 } });
    const st = await cp.waitFor(async () => {
      const r = await cp.get<ReplicaSet>(RS, 'web', 'default');
      return r.status?.conditions?.length ? r.status : undefined;
    }, 'a ReplicaFailure condition');
    expect(st.observedGeneration).toBe(2);
    expect(st.replicas).toBe(2);
    expect(st.conditions).toHaveLength(1);
    const [c] = st.conditions!;
    expect(c).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' });
    expect(c.message).toMatch(/^pods "web-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2$/);
    expect(c.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    await cp.patch(RQ, 'q', 'default', { spec: { hard: { pods: '10' } } });
    const healed = await cp.waitFor(async () => {
      const r = await cp.get<ReplicaSet>(RS, 'web', 'default');
      return r.status?.replicas === 4 && !r.status.conditions ? r.status : undefined;
    }, '4 replicas and no condition', 30_000);
    expect(healed.observedGeneration).toBe(2);
  });

  it('a Deployment shows its new ReplicaSet\'s ReplicaFailure, and drops it once the ReplicaSet has', async () => {
    await quota(1);
    await cp.create(deploymentManifest('shop', 3));
    const cond = await cp.waitFor(async () => {
      const d = await cp.get<Deployment>(DEPLOY, 'shop', 'default');
      return d.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    }, 'the Deployment\'s ReplicaFailure');
    expect(cond).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(cond.message).toMatch(/^pods "shop-[a-z0-9]+-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1$/);
    expect(cond.lastUpdateTime).toBe(cond.lastTransitionTime);
    // The pod that was admitted is counted once the ReplicaSet has seen it (its first status may say 0).
    const d = await cp.waitFor(async () => {
      const x = await cp.get<Deployment>(DEPLOY, 'shop', 'default');
      return x.status?.replicas === 1 ? x : undefined;
    }, 'the Deployment counting its one pod');
    expect(d.status?.conditions?.map((c) => c.type)).toEqual(['Available', 'Progressing', 'ReplicaFailure']);

    await cp.patch(RQ, 'q', 'default', { spec: { hard: { pods: '10' } } });
    await cp.waitFor(async () => {
      const x = await cp.get<Deployment>(DEPLOY, 'shop', 'default');
      return x.status?.replicas === 3 && !x.status.conditions?.some((c) => c.type === 'ReplicaFailure');
    }, 'the Deployment without ReplicaFailure', 30_000);
  });

  it('a DaemonSet refused a pod writes its status, and makes the pod once the quota allows', async () => {
    for (const n of ['n1', 'n2']) await registerNode(cp, n);
    await quota(1);
    await cp.create(daemonSetManifest('agent'));
    const DS = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;
    await cp.waitFor(async () => {
      const s = (await cp.get<DaemonSet>(DS, 'agent', 'default')).status;
      return s?.desiredNumberScheduled === 2 && s.currentNumberScheduled === 1;
    }, 'status: 2 desired, 1 current');
    await cp.eventsIncluding('agent', 'default', ['FailedCreate']);
    await cp.patch(RQ, 'q', 'default', { spec: { hard: { pods: '10' } } });
    await cp.waitFor(async () => (await cp.list<Pod>({ apiVersion: 'v1', kind: 'Pod' }, 'default')).length === 2, 'the second daemon pod', 15_000);
  });
});
