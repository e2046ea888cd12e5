// Which nodes a DaemonSet's pods belong on (NodeShouldRunDaemonPod): the node selector, required
// node affinity, and taints — NoSchedule and NoExecute for a new pod (shouldRun), NoExecute only
// for one already there (shouldContinueRunning) — with the tolerations every daemon pod gets.
import type { DaemonSet, Node, Toleration } from '../api/types';
import { anyTermMatches } from '../api/node-selector';
import { untolerated } from '../api/tolerations';

const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

/** The template's tolerations plus the ones the DaemonSet controller adds to every daemon pod. */
export function withDaemonTolerations(t: Toleration[] | undefined): Toleration[] {
  const out = [...(t ?? [])];
  for (const d of DAEMON_TOLERATIONS) if (!out.some((x) => x.key === d.key && x.effect === d.effect)) out.push(d);
  return out;
}

export interface Placement {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

export function placement(ds: DaemonSet, n: Node): Placement {
  const spec = ds.spec?.template?.spec;
  const labels = n.metadata?.labels ?? {};
  const sel = spec?.nodeSelector ?? {};
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const fits = Object.keys(sel).every((k) => labels[k] === sel[k]) && (!terms || anyTermMatches(terms, { name: n.metadata?.name ?? '', labels }));
  if (!fits) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec?.tolerations);
  const taints = n.spec?.taints ?? [];
  return {
    shouldRun: !untolerated(tolerations, taints, ['NoSchedule', 'NoExecute']),
    shouldContinueRunning: !untolerated(tolerations, taints, ['NoExecute']),
  };
}
