// GET /pods: the pods the kubelet runs, as a v1 PodList (the kubelet's getPods: its pod manager's pods, encoded as a
// list, so the items carry no kind or apiVersion of their own), in namespace/name order.
import type { Pod } from 'kubernetes-types/core/v1';
import { compareCodePoints } from '../../../main/api/string-order';

export interface PodListBody { kind: 'PodList'; apiVersion: 'v1'; metadata: Record<string, never>; items: Pod[] }

export function kubeletPodList(pods: Pod[]): PodListBody {
  const items = pods.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest as Pod);
  const key = (p: Pod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  items.sort((a, b) => compareCodePoints(key(a), key(b)));
  return { kind: 'PodList', apiVersion: 'v1', metadata: {}, items };
}
