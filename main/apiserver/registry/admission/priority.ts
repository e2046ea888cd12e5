// The Priority admission plugin (plugin/pkg/admission/priority): on pod create, spec.priority and
// spec.preemptionPolicy come from the pod's PriorityClass (403 when it names none that exists), or
// from the globalDefault class (the lowest-valued one if several), else priority 0 and
// PreemptLowerPriority; a pod may not give its own priority or preemptionPolicy differing from those.
// A PriorityClass create is refused (403) when it would be a second globalDefault.
import type { KObject, PriorityClass } from '../../../api/types';
import type { ObjectReader } from '../strategy';
import { resourceFor } from '../../../api/resources';
import { errors } from '../../status';

const PRIORITY_CLASSES = resourceFor('scheduling.k8s.io', 'v1', 'priorityclasses')!;

function defaultClass(reader: ObjectReader): PriorityClass | undefined {
  const defaults = (reader.list(PRIORITY_CLASSES, undefined).items as unknown as PriorityClass[]).filter((c) => c.globalDefault);
  return defaults.sort((a, b) => a.value - b.value)[0];
}

export function admitPodPriority(reader: ObjectReader, pod: KObject, displayName: string): void {
  const spec = (pod.spec ??= {}) as { priorityClassName?: string; priority?: number; preemptionPolicy?: string };
  const refuse = (why: string) => errors.forbidden('', 'pods', displayName, why);
  let priority = 0;
  let preemptionPolicy = 'PreemptLowerPriority';
  // Without a class name, defaulting has already put priority 0 (what the plugin gives without a default class).
  const given = spec.priorityClassName || spec.priority !== 0 ? spec.priority : undefined;
  if (!spec.priorityClassName) {
    const d = defaultClass(reader);
    if (d) {
      spec.priorityClassName = d.metadata?.name;
      priority = d.value;
      preemptionPolicy = d.preemptionPolicy ?? preemptionPolicy;
    }
  } else {
    const pc = reader.tryGet(PRIORITY_CLASSES, undefined, spec.priorityClassName) as (PriorityClass & KObject) | undefined;
    if (!pc) throw refuse(`no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy ?? preemptionPolicy;
  }
  if (typeof given === 'number' && given !== priority) {
    throw refuse(`the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  spec.priority = priority;
  if (spec.preemptionPolicy && spec.preemptionPolicy !== preemptionPolicy) {
    throw refuse(`the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`);
  }
  spec.preemptionPolicy = preemptionPolicy;
}

export function admitPriorityClass(reader: ObjectReader, pc: KObject): void {
  if (pc.globalDefault !== true) return;
  const d = defaultClass(reader);
  if (d && d.metadata?.name !== pc.metadata?.name) {
    throw errors.forbidden('scheduling.k8s.io', 'priorityclasses', pc.metadata?.name ?? '', `PriorityClass ${d.metadata?.name ?? ''} is already marked as default. Only one default can exist`);
  }
}
