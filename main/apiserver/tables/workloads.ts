// Workloads: Deployments (NAME READY UP-TO-DATE AVAILABLE AGE), ReplicaSets (NAME DESIRED CURRENT
// READY AGE) and DaemonSets (NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE),
// each with the wide CONTAINERS IMAGES SELECTOR.
import type { DaemonSet, Deployment, ReplicaSet } from '../../api/types';
import { ageColumn, containerColumns, nameColumn } from './columns';
import { defineTable } from './define';
import { formatLabelSelector, formatLabels, selectorString } from './selector';

export const deploymentTable = defineTable<Deployment>({
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (d) => `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}` },
    { name: 'Up-to-date', type: 'string', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', cell: (d) => d.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'string', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', cell: (d) => d.status?.availableReplicas ?? 0 },
    ageColumn,
    ...containerColumns<Deployment>((d) => d.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', cell: (d) => selectorString(d.spec?.selector) ?? '<invalid>' },
  ],
});

export const replicaSetTable = defineTable<ReplicaSet>({
  columns: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Replicas is the number of desired pods.', cell: (rs) => rs.spec?.replicas ?? 1 },
    { name: 'Current', type: 'integer', description: 'Replicas is the most recently observed number of non-terminating pods.', cell: (rs) => rs.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', cell: (rs) => rs.status?.readyReplicas ?? 0 },
    ageColumn,
    ...containerColumns<ReplicaSet>((rs) => rs.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: 'Selector is a label query over pods that should match the replica count.', cell: (rs) => formatLabelSelector(rs.spec?.selector) },
  ],
});

export const daemonSetTable = defineTable<DaemonSet>({
  columns: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod.', cell: (ds) => ds.status?.desiredNumberScheduled ?? 0 },
    { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', cell: (ds) => ds.status?.currentNumberScheduled ?? 0 },
    { name: 'Ready', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', cell: (ds) => ds.status?.numberReady ?? 0 },
    { name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod', cell: (ds) => ds.status?.updatedNumberScheduled ?? 0 },
    { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.', cell: (ds) => ds.status?.numberAvailable ?? 0 },
    { name: 'Node Selector', type: 'string', description: 'NodeSelector is a selector which must be true for the pod to fit on a node.', cell: (ds) => formatLabels(ds.spec?.template?.spec?.nodeSelector) },
    ageColumn,
    ...containerColumns<DaemonSet>((ds) => ds.spec?.template),
    { name: 'Selector', type: 'string', priority: 1, description: 'A label query over pods that are managed by the daemon set.', cell: (ds) => formatLabelSelector(ds.spec?.selector) },
  ],
});
