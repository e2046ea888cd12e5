// The pod garbage collector alone on an in-process control plane: pods bound to a node that does
// not exist are force-deleted — after a short quarantine when the node was never seen (it may be
// registering), at once when the node was deleted; pods on live nodes are never touched.
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { ORPHAN_QUARANTINE_MS } from '../../../main/controllers/pod-gc';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode } from '../../helpers/node-standin';

const NODE = { apiVersion: 'v1', kind: 'Node' };
const POD = { apiVersion: 'v1', kind: 'Pod' };

const cp = controlPlaneEach('pod-gc');

const boundPod = (name: string, nodeName: string) => cp.create<Pod>({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
});

describe('pod garbage collector', () => {
  it('keeps a pod bound to an unknown node through the quarantine, then force-deletes it with an event', async () => {
    const created = Date.now();
    await boundPod('lost', 'never-registered');
    // Inside the quarantine the pod is still there (checked well before it ends).
    expect(await cp.find(POD, 'lost', 'default')).toBeDefined();
    await cp.waitFor(async () => (await cp.find(POD, 'lost', 'default')) === undefined, 'orphaned pod deleted');
    expect(Date.now() - created).toBeGreaterThanOrEqual(ORPHAN_QUARANTINE_MS);
    await cp.eventsIncluding('lost', 'default', ['PodGCDeleted: Deleted pod default/lost bound to node never-registered which no longer exists'], (e) => `${e.reason ?? ''}: ${e.message ?? ''}`);
  });

  it('spares a pod whose node registers during the quarantine', async () => {
    await boundPod('early', 'late-node');
    await registerNode(cp, 'late-node');
    await boundPod('witness', 'gone-node');
    // Once the witness (created after the node registered) is collected, the early pod's quarantine has long passed.
    await cp.waitFor(async () => (await cp.find(POD, 'witness', 'default')) === undefined, 'witness collected');
    expect(await cp.find(POD, 'early', 'default')).toBeDefined();
  });

  it('force-deletes the pods of a deleted node, terminating or not, and leaves other nodes alone', async () => {
    await registerNode(cp, 'doomed');
    await registerNode(cp, 'kept');
    await boundPod('a', 'doomed');
    await boundPod('b', 'doomed');
    await boundPod('c', 'kept');
    // A graceful delete leaves b terminating, waiting for a kubelet that will never answer.
    await cp.delete(POD, 'b', { namespace: 'default' });
    expect((await cp.get<Pod>(POD, 'b', 'default')).metadata?.deletionTimestamp).toBeDefined();
    await cp.delete(NODE, 'doomed');
    await cp.waitFor(async () => (await cp.list<Pod>(POD, 'default')).map((p) => p.metadata?.name).join() === 'c', 'only c left');
  });
});
