// NoExecute taint eviction alone on an in-process control plane: pods bound to a tainted node go
// at once, after their tolerationSeconds, or never, by their tolerations.
import { describe, expect, it } from 'vitest';
import type { Pod, Toleration } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode } from '../../helpers/node-standin';

const POD = { apiVersion: 'v1', kind: 'Pod' };
const NODE = { apiVersion: 'v1', kind: 'Node' };
const cp = controlPlaneEach('taint-eviction', {}, (plane) => registerNode(plane, 'n1'));

async function boundPod(name: string, tolerations: Toleration[] = []): Promise<void> {
  await cp.create<Pod>({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }], tolerations } });
  await cp.client.bind('default', name, 'n1');
}
const terminating = async (name: string) => !!(await cp.get<Pod>(POD, name, 'default')).metadata?.deletionTimestamp;

describe('taint eviction', () => {
  it('evicts pods that do not tolerate a NoExecute taint, those tolerating it for a while later, and keeps the rest', async () => {
    const taint = { key: 'maintenance', value: 'now', effect: 'NoExecute' };
    await boundPod('intolerant');
    await boundPod('patient', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 4 }]);
    await boundPod('forever', [{ key: 'maintenance', operator: 'Equal', value: 'now', effect: 'NoExecute' }]);
    await boundPod('other-taint', [{ key: 'something-else', operator: 'Exists', effect: 'NoExecute' }]);
    await cp.patch(NODE, 'n1', undefined, { spec: { taints: [{ ...taint, timeAdded: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } });
    await cp.waitFor(async () => (await terminating('intolerant')) && (await terminating('other-taint')), 'intolerant pods evicted');
    // The taint's timeAdded is whole seconds (up to 1 s before now): 4 s of toleration leave it standing here even on a busy machine.
    expect(await terminating('patient')).toBe(false);
    await cp.waitFor(() => terminating('patient'), 'patient pod evicted after tolerationSeconds', 8_000);
    expect(await terminating('forever')).toBe(false);
    const events = await cp.waitFor(async () => { const e = await cp.events('intolerant', 'default'); return e.length ? e : undefined; }, 'eviction event');
    expect(events[0]).toMatchObject({ reason: 'TaintManagerEviction', message: 'Marking for deletion Pod default/intolerant' });
    const disruption = (await cp.get<Pod>(POD, 'intolerant', 'default')).status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    expect(disruption).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
  });

  it('ignores NoSchedule taints', async () => {
    await boundPod('p');
    await cp.patch(NODE, 'n1', undefined, { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }, { key: 'gate', effect: 'NoExecute' }] } });
    await cp.waitFor(() => terminating('p'), 'evicted for the NoExecute taint');
    await boundPod('q', [{ key: 'gate', operator: 'Exists', effect: 'NoExecute' }]);
    await boundPod('r');
    await cp.waitFor(() => terminating('r'), 'r evicted');
    expect(await terminating('q')).toBe(false); // tolerates the NoExecute one; the NoSchedule one does not evict
  });
});
