// Records which manager owns which fields after an ordinary (non-apply) write, so that server-side
// apply can detect conflicts the way Kubernetes does.
import type { KObject } from '../../api/types';
import { resourceForKind } from '../../api/resources';
import { patchMetaFor } from '../patch/patchmeta';
import { recordUpdate } from '../patch/apply';

export function recordManagedFields(old: KObject | undefined, updated: KObject, manager: string, now: string, subresource?: string): KObject {
  const apiVersion = updated.apiVersion ?? '';
  const kind = updated.kind ?? '';
  if (!resourceForKind(apiVersion, kind)) return updated;
  return recordUpdate({ old, updated, manager, operation: 'Update', now, meta: patchMetaFor(apiVersion, kind), subresource });
}
