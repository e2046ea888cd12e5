// Toleration matching (v1.Toleration.ToleratesTaint), shared by the scheduler and the controllers that evict or place pods by taints. Pure.
import type { Taint, Toleration } from './types';

/** The node taints Kubernetes itself puts (v1.TaintNodeNotReady, v1.TaintNodeUnreachable). */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

export function tolerates(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.key && t.operator !== 'Exists') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

export function untolerated(tolerations: Toleration[], taints: Taint[], effects: readonly string[]): Taint | undefined {
  for (const taint of taints) {
    if (!effects.includes(taint.effect)) continue;
    if (!tolerations.some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
