// The resource quota controller alone: status.hard mirrors spec.hard, status.used counts the
// namespace's pods (until terminal), their requests/limits, object counts and claim storage.
import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim, Pod, ResourceQuota } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';

const RQ = { apiVersion: 'v1', kind: 'ResourceQuota' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;
const cp = controlPlaneEach('resourcequota');

const pod = (name: string, cpu: string, memLimit: string) => cp.create<Pod>({
  ...POD, metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu }, limits: { memory: memLimit } } }] },
});

async function usedWhere(want: Record<string, string>): Promise<Record<string, string>> {
  return cp.waitFor(async () => {
    const used = (await cp.get<ResourceQuota>(RQ, 'q', 'default')).status?.used;
    return used && JSON.stringify(used) === JSON.stringify(want) ? used : undefined;
  }, `used ${JSON.stringify(want)}`);
}

describe('resource quota controller', () => {
  it('computes status.hard and status.used and follows creates, terminal pods and deletes', async () => {
    const hard = { 'configmaps': '5', 'count/pods': '9', 'limits.memory': '2Gi', 'pods': '3', 'requests.cpu': '2', 'requests.storage': '10Gi' };
    await cp.create<ResourceQuota>({ ...RQ, metadata: { name: 'q', namespace: 'default' }, spec: { hard } });
    await pod('a', '250m', '256Mi');
    await pod('b', '1', '512Mi');
    await cp.create<PersistentVolumeClaim>({
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    const configmaps = (await cp.client.list({ group: '', version: 'v1', plural: 'configmaps', namespaced: true }, { namespace: 'default' })).items.length;
    await usedWhere({
      'configmaps': String(configmaps), 'count/pods': '2', 'limits.memory': '768Mi', 'pods': '2', 'requests.cpu': '1250m', 'requests.storage': '1Gi',
    });
    expect((await cp.get<ResourceQuota>(RQ, 'q', 'default')).status?.hard).toEqual(hard);

    // A pod that has finished no longer counts as `pods` nor its resources; `count/pods` counts every stored pod (PodUsageFunc).
    await cp.patchStatus(POD, 'b', 'default', { phase: 'Succeeded' });
    await usedWhere({
      'configmaps': String(configmaps), 'count/pods': '2', 'limits.memory': '256Mi', 'pods': '1', 'requests.cpu': '250m', 'requests.storage': '1Gi',
    });
    await cp.delete(POD, 'a', { namespace: 'default', gracePeriodSeconds: 0 });
    await usedWhere({
      'configmaps': String(configmaps), 'count/pods': '1', 'limits.memory': '0', 'pods': '0', 'requests.cpu': '0', 'requests.storage': '1Gi',
    });
  });

  it('counts in a scoped quota only the pods in its scopes', async () => {
    const hard = { 'pods': '5', 'requests.cpu': '4' };
    await cp.create<ResourceQuota>({ ...RQ, metadata: { name: 'q', namespace: 'default' }, spec: { hard, scopes: ['Terminating'] } });
    await pod('a', '250m', '256Mi');
    await cp.create<Pod>({
      ...POD, metadata: { name: 't', namespace: 'default' },
      spec: { activeDeadlineSeconds: 30, containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '500m' } } }] },
    });
    await usedWhere({ 'pods': '1', 'requests.cpu': '500m' });
  });
});
