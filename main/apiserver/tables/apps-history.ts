// StatefulSets (NAME READY AGE, wide CONTAINERS IMAGES) and ControllerRevisions (NAME CONTROLLER
// REVISION AGE), as Kubernetes' printers show them.
import type { ControllerRevision, StatefulSet } from '../../api/types';
import { ageColumn, containerColumns, nameColumn } from './columns';
import { defineTable } from './define';

export const statefulSetTable = defineTable<StatefulSet>({
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Number of the pod with ready state', cell: (s) => `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}` },
    ageColumn,
    ...containerColumns<StatefulSet>((s) => s.spec?.template),
  ],
});

/** formatResourceName with its kind: `<kind>.<group>/<name>` in lower case (`statefulset.apps/web`). */
function controllerName(cr: Partial<ControllerRevision>): string {
  const ref = cr.metadata?.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionTable = defineTable<ControllerRevision>({
  columns: [
    nameColumn,
    { name: 'Controller', type: 'string', description: 'Controller of the object', cell: controllerName },
    { name: 'Revision', type: 'string', description: 'Revision indicates the revision of the state represented by Data.', cell: (cr) => cr.revision ?? 0 },
    ageColumn,
  ],
});
