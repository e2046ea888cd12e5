// The ObjectReference an Event is about (client-go's reference.GetReference / GetPartialReference).
import type { ApiObject, ObjectReference } from '../../api/types';

/** The object's reference, without the fields it lacks (a cluster-scoped object has no namespace); fieldPath names a part (a container). */
export function referenceOf(obj: ApiObject, fieldPath?: string): ObjectReference {
  const m = obj.metadata ?? {};
  const ref: ObjectReference = {
    kind: obj.kind, apiVersion: obj.apiVersion, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, fieldPath,
  };
  for (const k of Object.keys(ref) as Array<keyof ObjectReference>) if (!ref[k]) delete ref[k];
  return ref;
}
