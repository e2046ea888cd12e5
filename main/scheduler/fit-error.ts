// The message of a pod that fits nowhere, as the scheduler's FitError prints it:
// "0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 Insufficient cpu. preemption: …"
// The "<count> <reason>" strings are sorted as strings, as upstream's sortReasonsHistogram does.
import type { FilterFailure } from './types';

/** `postFilter`: preemption's own message ("preemption: …"), empty when it nominated a node. */
export function fitErrorMessage(numNodes: number, failures: FilterFailure[], postFilter?: string): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  const hist = new Map<string, number>();
  for (const f of failures) {
    for (const r of f.reasons) hist.set(r, (hist.get(r) ?? 0) + 1);
  }
  const parts = [...hist].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let msg = `0/${numNodes} nodes are available`;
  if (parts.length) msg += `: ${parts.join(', ')}.`;
  else msg += '.';
  if (postFilter === undefined) msg += ` preemption: 0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`;
  else if (postFilter) msg += ` ${postFilter}`;
  return msg;
}

/** A PreFilter plugin's verdict for every node (FitError with Diagnosis.PreFilterMsg). */
export function preFilterMessage(numNodes: number, msg: string): string {
  if (numNodes === 0) return 'no nodes available to schedule pods';
  return `0/${numNodes} nodes are available: ${msg}. preemption: 0/${numNodes} nodes are available: ${numNodes} Preemption is not helpful for scheduling.`;
}
