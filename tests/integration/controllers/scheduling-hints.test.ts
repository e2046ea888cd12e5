// Assigned-pod events move only the parked pods they can help (kube-scheduler's EventsToRegister), read from the
// scheduler's own scheduler_schedule_attempts_total through real kubectl: pods bound elsewhere do not make a pod
// that only a node can help (NodeAffinity) or one waiting for room (NodeResourcesFit) be tried again; a pod that goes
// away retries the one waiting for room, which is then bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { parsePromText } from '../../../main/protocol/prom-text';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2); // 4 CPUs each
});
afterAll(async () => {
  await c?.stop();
});

type P = Pod & KObject;

function pod(name: string, cpu: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...extra },
  };
}

async function unschedulableAttempts(): Promise<number> {
  const families = parsePromText(await c.kubectlOk(['get', '--raw', '/metrics']));
  const sample = families.find((f) => f.name === 'scheduler_schedule_attempts_total')?.samples
    .find((s) => s.labels.result === 'unschedulable' && s.labels.profile === 'default-scheduler');
  if (!sample) throw new Error('no scheduler_schedule_attempts_total{result="unschedulable"} sample');
  return sample.value;
}

const get = (name: string): Promise<P> => c.core.client.get<P>(R.pods, name, 'default');
const unschedulable = async (name: string): Promise<boolean> => (await get(name)).status?.conditions
  ?.some((x) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable') ?? false;

describe('scheduling queue hints for pod events', () => {
  it('keeps parked the pods a bound pod cannot help, and retries the one waiting for room when a pod is deleted', async () => {
    for (const name of ['hog-0', 'hog-1']) await c.core.client.create(R.pods, pod(name, '3'));
    await waitFor(async () => !!(await get('hog-0')).spec?.nodeName && !!(await get('hog-1')).spec?.nodeName, 'the hogs bound', 10_000);
    await c.core.client.create(R.pods, pod('nowhere', '10m', { nodeSelector: { zone: 'none' } }));
    await c.core.client.create(R.pods, pod('waiting', '2'));
    await waitFor(async () => (await unschedulable('nowhere')) && (await unschedulable('waiting')), 'both pods Unschedulable', 10_000);
    const before = await unschedulableAttempts();
    expect(before).toBeGreaterThanOrEqual(2);

    // Pods bound elsewhere: neither parked pod is tried again for them.
    for (let i = 0; i < 6; i++) await c.core.client.create(R.pods, pod(`small-${i}`, '10m'));
    await waitFor(async () => {
      const items = (await c.core.client.list<P>(R.pods, { namespace: 'default' })).items;
      return items.filter((p) => p.metadata?.name?.startsWith('small-') && p.spec?.nodeName).length === 6;
    }, 'the small pods bound', 10_000);

    // A hog deleted: the pod waiting for room is tried again and bound; the events before it were handled by then.
    await c.core.client.delete(R.pods, 'hog-0', { namespace: 'default', gracePeriodSeconds: 0 });
    const bound = await waitFor(async () => (await get('waiting')).spec?.nodeName, 'the waiting pod bound', 10_000);
    expect(bound).toBeTruthy();
    expect(await unschedulable('nowhere')).toBe(true);
    // Not one unschedulable attempt since: without the hints each bound small pod retried both pods.
    expect(await unschedulableAttempts()).toBe(before);
  });
});
