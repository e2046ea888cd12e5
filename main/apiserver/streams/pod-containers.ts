// Which container of a pod a log, exec or attach request means (Kubernetes' validateContainer and
// streamLocation): any init, regular or ephemeral container by name; without a name, the only container.
import type { StoredObject } from '../../api/types';
import { errors } from '../status';

type Named = Array<{ name: string }> | undefined;
export type PodWithContainers = StoredObject & { spec?: { containers?: Named; initContainers?: Named; ephemeralContainers?: Named } };

/** Every container name in VisitContainers order: init, regular, ephemeral. */
export function containerNames(pod: PodWithContainers): string[] {
  const s = pod.spec;
  return [...(s?.initContainers ?? []), ...(s?.containers ?? []), ...(s?.ephemeralContainers ?? [])].map((c) => c.name);
}

/** The container a request names (or the pod's only regular container); 400 as Kubernetes answers otherwise. */
export function resolveContainer(pod: PodWithContainers, requested: string | null): string {
  const name = pod.metadata.name;
  if (requested) {
    if (!containerNames(pod).includes(requested)) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  const regular = pod.spec?.containers ?? [];
  if (regular.length === 1) return regular[0].name;
  if (regular.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
  throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containerNames(pod).join(' ')}]`);
}
