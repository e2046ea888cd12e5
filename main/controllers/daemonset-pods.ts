// A DaemonSet's pods: the pod it creates for a node (pinned by node affinity on metadata.name, as
// Kubernetes does, and left to the scheduler to bind), the node a pod is meant for, and its pods
// grouped by that node.
import type { DaemonSet, KObject, Pod } from '../api/types';
import { withDaemonTolerations } from './daemonset-nodes';
import { ownerRefFor } from './pod-util';
import { compareCodePoints } from '../api/string-order';

export const HASH_LABEL = 'controller-revision-hash';

export function daemonPodFor(ds: DaemonSet, node: string, hash: string): Pod {
  const t = structuredClone(ds.spec?.template ?? {});
  const spec = t.spec ?? { containers: [] };
  spec.tolerations = withDaemonTolerations(spec.tolerations);
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      ...(spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] },
    },
  };
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata!.name!}-`, namespace: ds.metadata!.namespace,
      labels: { ...(t.metadata?.labels ?? {}), [HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata?.generation ?? 1) },
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [ownerRefFor(ds as KObject)],
    },
    spec,
  };
}

/** GetTargetNodeName: the node the pod is bound to, or the one its affinity pins it to. */
export function targetNode(p: Pod): string {
  return p.spec?.nodeName ?? p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '';
}

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * getNodesToDaemonPods: the DaemonSet's pods by target node, oldest first. A terminating pod still
 * occupies its node (no replacement until it is gone); one already terminal and deleted does not.
 */
export function podsByNode(pods: Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const p of pods) {
    if (terminal(p) && p.metadata?.deletionTimestamp) continue;
    const n = targetNode(p);
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  for (const l of byNode.values()) l.sort(byCreationAndPhase);
  return byNode;
}

/** podByCreationTimestampAndPhase: bound pods first, then older first, then by name. */
function byCreationAndPhase(a: Pod, b: Pod): number {
  const bound = (b.spec?.nodeName ? 1 : 0) - (a.spec?.nodeName ? 1 : 0);
  if (bound) return bound;
  const d = Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '');
  return d || compareCodePoints(a.metadata?.name ?? '', b.metadata?.name ?? '');
}

export const isDeleting = (p: Pod) => !!p.metadata?.deletionTimestamp;
