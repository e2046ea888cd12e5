// PriorityClasses: at most one globalDefault (the Priority admission plugin's check on create), and
// the built-in system classes, made when the API starts as Kubernetes' scheduling storage does.
import type { KObject } from '../../../api/types';
import { resourceFor } from '../../../api/resources';
import { SYSTEM_PRIORITY_CLASSES } from '../../../api/priority';
import type { Strategy } from '../strategy';
import { admitPriorityClass } from '../admission/priority';

export const PRIORITY_CLASSES = resourceFor('scheduling.k8s.io', 'v1', 'priorityclasses')!;

export const priorityClassStrategy: Strategy = {
  admitCreate: (obj, a) => {
    admitPriorityClass(a.reader, obj);
    return Promise.resolve();
  },
};

/** The system classes to create (those not stored yet). */
export function missingSystemPriorityClasses(exists: (name: string) => boolean): KObject[] {
  return SYSTEM_PRIORITY_CLASSES.filter((c) => !exists(c.metadata?.name ?? '')).map((c) => structuredClone(c) as unknown as KObject);
}
