// Letting an object go: a finalizer dropped from metadata.finalizers by read-modify-write, retried on
// conflicts (another writer changed the object in between). Pure: the agent bundles it.
import type { KObject } from '../api/types';
import type { ApiClient, ResourceRef } from './types';
import { isConflict, isNotFound } from './types';

const ATTEMPTS = 5;

/** Removes `finalizer` from the object; nothing to do when it is gone or no longer carries it. */
export async function dropFinalizer(client: ApiClient, r: ResourceRef, name: string, finalizer: string, namespace?: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    let obj: KObject;
    try { obj = await client.get<KObject>(r, name, namespace); } catch (e) { if (isNotFound(e)) return; throw e; }
    const finalizers = obj.metadata?.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return;
    try {
      const next = { ...obj, metadata: { ...obj.metadata, finalizers: finalizers.filter((f) => f !== finalizer) } };
      await client.update(r, next, namespace ? { namespace } : undefined);
      return;
    } catch (e) {
      if (isNotFound(e)) return;
      if (!isConflict(e)) throw e;
    }
  }
  throw new Error(`${r.plural} "${name}": too many conflicts dropping ${finalizer}`);
}
