// Namespaces: deleting one marks it Terminating while its spec.finalizers (the namespace
// controller's "kubernetes") remain; the controller empties it and removes its finalizer through
// namespaces/finalize, and only that subresource changes spec.finalizers.
import { resourceForKind } from '../../../api/resources';
import type { KObject, Namespace, StoredObject } from '../../../api/types';
import type { Strategy } from '../strategy';

/** The namespaces resource (for the namespace checks of other kinds' creates). */
export const NAMESPACES = resourceForKind('v1', 'Namespace')!;

/** The namespaces every cluster starts with. */
export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function specFinalizers(obj: KObject): string[] {
  return (obj as Namespace).spec?.finalizers ?? [];
}

export const namespaceStrategy: Strategy = {
  keepStatusOnCreate: true,
  subresourceUpdates: {
    // namespaces/finalize: everything but status (Kubernetes' namespaceFinalizeStrategy).
    finalize(current: StoredObject, next: KObject): KObject {
      const out: KObject = { ...next };
      if (current.status === undefined) delete out.status;
      else out.status = current.status;
      return out;
    },
  },
  prepareForUpdate(next: KObject, current: StoredObject): void {
    const spec: Record<string, unknown> = { ...(next.spec as Record<string, unknown> | undefined) };
    const kept = (current as Namespace).spec?.finalizers;
    if (kept === undefined) delete spec.finalizers;
    else spec.finalizers = [...kept]; // `current` may be the watch's shared object
    next.spec = spec;
  },
  /** PrepareForCreate: every new namespace carries the `kubernetes` finalizer (added to any it was given). */
  prepareForCreate(obj: KObject): void {
    const spec = (obj.spec ??= {}) as { finalizers?: string[] };
    if (!spec.finalizers?.includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
  },
  kindFinalizers: specFinalizers,
  markTerminating(obj: KObject): boolean {
    const status = (obj.status ??= {}) as { phase?: string };
    if (status.phase === 'Terminating') return false;
    status.phase = 'Terminating';
    return true;
  },
};
