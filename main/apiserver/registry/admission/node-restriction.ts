// NodeRestriction admission for Node objects (Kubernetes' plugin/pkg/admission/noderestriction): a
// node's agent (user system:node:<name> in system:nodes) writes only its own Node, never its taints,
// and sets or changes no label under node-restriction.kubernetes.io/ nor any kubernetes.io / k8s.io
// label outside the kubelet's own set (hostname, os, arch, instance type, topology, and the
// kubelet.kubernetes.io / node.kubernetes.io namespaces). Others' writes are not its business.
import type { Node } from '../../../api/types';
import type { UserInfo } from '../../authz/attributes';
import { nodeOfUser } from '../../authz/node';
import { errors } from '../../status';

const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region', 'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'kubernetes.io/os',
  'kubernetes.io/arch', 'beta.kubernetes.io/os', 'beta.kubernetes.io/arch',
]);

/** The label's prefix (its DNS subdomain), '' without one. */
function namespaceOf(label: string): string {
  const i = label.indexOf('/');
  return i < 0 ? '' : label.slice(0, i);
}

const inDomain = (ns: string, domain: string): boolean => ns === domain || ns.endsWith(`.${domain}`);

function isKubeletLabel(label: string): boolean {
  const ns = namespaceOf(label);
  return KUBELET_LABELS.has(label) || inDomain(ns, 'kubelet.kubernetes.io') || inDomain(ns, 'node.kubernetes.io');
}

/** getForbiddenLabels: of the labels changed, those a node may not set, sorted. */
function forbiddenLabels(changed: string[]): string[] {
  return changed.filter((l) => {
    const ns = namespaceOf(l);
    if (inDomain(ns, 'node-restriction.kubernetes.io')) return true;
    return (inDomain(ns, 'kubernetes.io') || inDomain(ns, 'k8s.io')) && !isKubeletLabel(l);
  }).sort();
}

/** The labels added, removed or changed from `old` to `next`. */
function modifiedLabels(next: Record<string, string> = {}, old: Record<string, string> = {}): string[] {
  const keys = new Set([...Object.keys(next), ...Object.keys(old)]);
  return [...keys].filter((k) => next[k] !== old[k]);
}

/** Refuses (403) what a node may not do to a Node; anyone else passes. `old` is undefined on a create. */
export function admitNodeWrite(user: UserInfo, next: Node, old: Node | undefined): void {
  const node = nodeOfUser(user);
  if (!node) return;
  const name = next.metadata?.name ?? '';
  const refuse = (reason: string): never => { throw errors.forbidden('', 'nodes', name, reason); };
  if (name !== node) refuse(`node ${JSON.stringify(node)} is not allowed to modify node ${JSON.stringify(name)}`);
  if (!old) {
    const bad = forbiddenLabels(Object.keys(next.metadata?.labels ?? {}));
    if (bad.length) refuse(`node ${JSON.stringify(node)} is not allowed to set the following labels: ${bad.join(', ')}`);
    return;
  }
  if (JSON.stringify(next.spec?.taints ?? []) !== JSON.stringify(old.spec?.taints ?? [])) refuse(`node ${JSON.stringify(node)} is not allowed to modify taints`);
  const bad = forbiddenLabels(modifiedLabels(next.metadata?.labels, old.metadata?.labels));
  if (bad.length) refuse(`node ${JSON.stringify(node)} is not allowed to modify labels: ${bad.join(', ')}`);
}
