// "Unpin": a Deployment dropped on a node card is pinned there by a required node affinity on kubernetes.io/hostname
// (deploy.ts); unpinning removes that requirement (and the affinity left empty by it) with a JSON patch that tests the
// resourceVersion it read, so the scheduler may place the next rollout's pods anywhere.
import type { Deployment } from '../api/types';
import type { ApiClient } from '../client/types';
import { BridgeFailure } from './errors';
import { KIND_RESOURCES } from './kinds';

const HOSTNAME = 'kubernetes.io/hostname';
const AFFINITY = '/spec/template/spec/affinity';

/** Whether the required node affinity names nodes by hostname (as a pin does). */
function pinned(d: Deployment): boolean {
  const terms = d.spec?.template.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.some((t) => (t.matchExpressions ?? []).some((e) => e.key === HOSTNAME));
}

export async function unpinApp(client: ApiClient, namespace: string, name: string): Promise<null> {
  const d = await client.get<Deployment>(KIND_RESOURCES.deployments, name, namespace);
  if (!pinned(d)) throw new BridgeFailure(409, 'Conflict', `deployment ${name} is not pinned to a node`);
  const affinity = d.spec!.template.spec!.affinity!;
  const node = affinity.nodeAffinity!;
  const path = Object.keys(affinity).length === 1 && Object.keys(node).length === 1 ? AFFINITY
    : Object.keys(node).length === 1 ? `${AFFINITY}/nodeAffinity` : `${AFFINITY}/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution`;
  await client.patch(KIND_RESOURCES.deployments, name, [
    { op: 'test', path: '/metadata/resourceVersion', value: d.metadata?.resourceVersion },
    { op: 'remove', path },
  ], 'json', { namespace });
  return null;
}
