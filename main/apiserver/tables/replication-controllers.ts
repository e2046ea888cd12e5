// ReplicationControllers (printReplicationController): NAME DESIRED CURRENT READY AGE, wide CONTAINERS IMAGES
// SELECTOR (the selector is a plain label map, printed as labels.FormatLabels does).
import type { ReplicationController } from '../../api/types';
import { ageColumn, containerColumns, nameColumn } from './columns';
import { defineTable } from './define';
import { formatLabels } from './selector';

const SELECTOR_DOC = 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present '
  + 'on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on '
  + 'Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

export const replicationControllerTable = defineTable<ReplicationController>({
  columns: [
    nameColumn,
    {
      name: 'Desired', type: 'integer', cell: (rc) => rc.spec?.replicas ?? 1,
      description: 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. '
        + 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
    },
    {
      name: 'Current', type: 'integer', cell: (rc) => rc.status?.replicas ?? 0,
      description: 'Replicas is the most recently observed number of replicas. '
        + 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller',
    },
    { name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replication controller.', cell: (rc) => rc.status?.readyReplicas ?? 0 },
    ageColumn,
    ...containerColumns<ReplicationController>((rc) => rc.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: SELECTOR_DOC, cell: (rc) => formatLabels(rc.spec?.selector) },
  ],
});
