// The conditions a namespace being deleted shows while its content goes (the namespace deleter's
// status_condition_utils.go): what remains, by resource and by finalizer, and what could not be deleted — what
// `kubectl get namespace -o yaml` tells about a namespace stuck Terminating.
import type { NamespaceCondition } from 'kubernetes-types/core/v1';

/** What one pass over a namespace's content left: objects per `<resource>.<group>`, objects per finalizer, errors. */
export interface ContentTotals {
  remaining: Map<string, number>;
  finalizers: Map<string, number>;
  deleteErrors: string[];
}

type ConditionType = 'NamespaceDeletionDiscoveryFailure' | 'NamespaceDeletionGroupVersionParsingFailure' | 'NamespaceDeletionContentFailure'
  | 'NamespaceContentRemaining' | 'NamespaceFinalizersRemaining';

const TYPES: ConditionType[] = [
  'NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionGroupVersionParsingFailure', 'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining', 'NamespaceFinalizersRemaining',
];

const OK: Record<ConditionType, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

/** `<what> <n>` lines, sorted for stable updates, of the entries above zero. */
function described(counts: Map<string, number>, line: (what: string, n: number) => string): string[] {
  return [...counts].filter(([, n]) => n > 0).map(([what, n]) => line(what, n)).sort();
}

/** The failing conditions this pass calls for (the others take their ok variant). */
function failing(t: ContentTotals): Map<ConditionType, { reason: string; message: string }> {
  const out = new Map<ConditionType, { reason: string; message: string }>();
  if (t.deleteErrors.length) {
    const msgs = [...t.deleteErrors].sort();
    out.set('NamespaceDeletionContentFailure', { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}` });
  }
  const resources = described(t.remaining, (r, n) => `${r} has ${n} resource instances`);
  if (resources.length) out.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${resources.join(', ')}` });
  const finalizers = described(t.finalizers, (f, n) => `${f} in ${n} resource instances`);
  if (finalizers.length) out.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizerRemain', message: `Some finalizers are remaining: ${finalizers.join(', ')}` });
  return out;
}

/**
 * The namespace's conditions after this pass (updateConditions): each of the five deleter conditions set, True with
 * what failed or remains, else False with its ok reason; a transition time moves only when the status does. Undefined
 * when nothing changed.
 */
export function deletionConditions(old: readonly NamespaceCondition[], t: ContentTotals, now: string): NamespaceCondition[] | undefined {
  const bad = failing(t);
  const out = old.map((c) => ({ ...c }));
  let changed = false;
  for (const type of TYPES) {
    const f = bad.get(type);
    const want = { type, status: f ? 'True' : 'False', ...(f ?? OK[type]) };
    const cur = out.find((c) => c.type === type);
    if (!cur) {
      out.push({ ...want, lastTransitionTime: now });
      changed = true;
    } else if (cur.status !== want.status || cur.reason !== want.reason || cur.message !== want.message) {
      if (cur.status !== want.status) cur.lastTransitionTime = now;
      Object.assign(cur, want);
      changed = true;
    }
  }
  return changed ? out : undefined;
}
