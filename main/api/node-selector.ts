// Node selector terms (v1.NodeSelectorTerm) against a node's labels and fields. Pure; the
// scheduler's NodeAffinity filter and the DaemonSet controller's placement share it.
import type { NodeSelectorRequirement, NodeSelectorTerm } from './types';

/** What a term looks at: the node's name (matchFields metadata.name) and labels. */
export interface NodeFacts {
  name: string;
  labels: Record<string, string>;
}

function matchReq(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In': return value !== undefined && vals.includes(value);
    case 'NotIn': return value === undefined || !vals.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && vals.length === 1 && Number(value) > Number(vals[0]);
    case 'Lt': return value !== undefined && vals.length === 1 && Number(value) < Number(vals[0]);
    default: return false;
  }
}

export function termMatches(term: NodeSelectorTerm, node: NodeFacts): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  for (const e of exprs) if (!matchReq(e, node.labels[e.key])) return false;
  for (const f of fields) if (!matchReq(f, f.key === 'metadata.name' ? node.name : undefined)) return false;
  return true;
}

/** Required terms are ORed; an empty list matches nothing. */
export function anyTermMatches(terms: readonly NodeSelectorTerm[], node: NodeFacts): boolean {
  for (const t of terms) if (termMatches(t, node)) return true;
  return false;
}
