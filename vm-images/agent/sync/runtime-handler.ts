// The kubelet's RuntimeClass manager (LookupRuntimeHandler): the CRI runtime handler of a pod's
// spec.runtimeClassName — the RuntimeClass's `handler`, read through the API when the sandbox is made;
// '' (the runtime's default) without one. A missing RuntimeClass fails the sandbox with the API's NotFound.
import type { Pod, RuntimeClass } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { isNotFound } from '../../../main/client/types';
import { refFor } from '../../../main/client/refs';

export type RuntimeHandlerLookup = (pod: Pod) => Promise<string>;

export function apiRuntimeHandler(client: ApiClient): RuntimeHandlerLookup {
  const ref = refFor('node.k8s.io', 'v1', 'runtimeclasses');
  return async (pod) => {
    const name = pod.spec?.runtimeClassName;
    if (!name) return '';
    try {
      return (await client.get<RuntimeClass & { metadata: object }>(ref, name)).handler;
    } catch (err) {
      if (isNotFound(err)) throw err;
      throw new Error(`failed to lookup RuntimeClass ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
