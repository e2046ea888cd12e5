// The RuntimeClass admission plugin (plugin/pkg/admission/runtimeclass): a pod naming a RuntimeClass that does not
// exist is refused (403); one that exists gives the pod its overhead and its scheduling (nodeSelector merged,
// refused on a conflicting key; tolerations added). A pod with an overhead but no RuntimeClass overhead is refused.
import type { KObject, RuntimeClass, Toleration } from '../../../api/types';
import type { ObjectReader } from '../strategy';
import { resourceFor } from '../../../api/resources';
import { errors } from '../../status';

const RUNTIME_CLASSES = resourceFor('node.k8s.io', 'v1', 'runtimeclasses')!;

interface PodSpecPart {
  runtimeClassName?: string;
  overhead?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function admitPodRuntimeClass(reader: ObjectReader, pod: KObject, displayName: string): void {
  const spec = (pod.spec ??= {}) as PodSpecPart;
  const refuse = (why: string) => errors.forbidden('', 'pods', displayName, why);
  if (!spec.runtimeClassName) {
    if (spec.overhead && Object.keys(spec.overhead).length) throw refuse('pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    return;
  }
  const rc = reader.tryGet(RUNTIME_CLASSES, undefined, spec.runtimeClassName) as (RuntimeClass & KObject) | undefined;
  if (!rc) throw refuse(`pod rejected: RuntimeClass "${spec.runtimeClassName}" not found`);
  const overhead = rc.overhead?.podFixed;
  if (overhead) {
    if (spec.overhead && !sameJson(spec.overhead, overhead)) throw refuse("pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
    spec.overhead = { ...overhead };
  } else if (spec.overhead && Object.keys(spec.overhead).length) {
    throw refuse('pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
  }
  const scheduling = rc.scheduling;
  if (!scheduling) return;
  const selector = { ...spec.nodeSelector };
  for (const [k, v] of Object.entries(scheduling.nodeSelector ?? {})) {
    if (k in selector && selector[k] !== v) {
      throw refuse(`conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${v}; pod.spec.nodeSelector[${k}] = ${selector[k]}`);
    }
    selector[k] = v;
  }
  if (Object.keys(selector).length) spec.nodeSelector = selector;
  const tolerations = [...(spec.tolerations ?? [])];
  for (const t of scheduling.tolerations ?? []) if (!tolerations.some((x) => sameJson(x, t))) tolerations.push(t);
  if (tolerations.length) spec.tolerations = tolerations;
}
