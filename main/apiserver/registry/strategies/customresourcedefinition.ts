// CustomResourceDefinitions: generation counts spec changes; the first delete only marks the definition (deletionTimestamp, the
// customresourcecleanup finalizer and a Terminating condition, as apiextensions' CRD REST Delete does);
// controllers/crd-finalizer.ts removes its objects and then the finalizer.
import { CRD_CLEANUP_FINALIZER } from '../../../api/crd';
import type { CustomResourceDefinitionCondition, KObject } from '../../../api/types';
import type { Strategy } from '../strategy';
import { timestamp } from '../objects';

const PENDING: Omit<CustomResourceDefinitionCondition, 'lastTransitionTime'> = {
  type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending',
  message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
};

export const customResourceDefinitionStrategy: Strategy = {
  // metadata.generation counts spec changes, as apiextensions' strategy does.
  tracksGeneration: true,
  // Before its first delete a definition is held by the cleanup finalizer it will get.
  kindFinalizers: (obj: KObject) => (obj.metadata?.deletionTimestamp ? [] : [CRD_CLEANUP_FINALIZER]),
  markTerminating(obj: KObject): boolean {
    const meta = obj.metadata ?? {};
    if ((meta.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER)) return false;
    meta.finalizers = [...(meta.finalizers ?? []), CRD_CLEANUP_FINALIZER];
    const status = (obj.status ??= {}) as { conditions?: CustomResourceDefinitionCondition[] };
    const others = (status.conditions ?? []).filter((c) => c.type !== 'Terminating');
    status.conditions = [...others, { ...PENDING, lastTransitionTime: timestamp() }];
    return true;
  },
};
