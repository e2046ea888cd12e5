// Columns many kinds share: NAME, AGE, and the wide CONTAINERS and IMAGES of workloads.
import type { ObjectMeta, PodTemplateSpec } from '../../api/types';
import { ageOf } from './duration';
import type { Column } from './types';

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

interface WithMeta {
  metadata?: ObjectMeta;
}

export const nameColumn: Column<WithMeta> = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, cell: (o) => o.metadata?.name ?? '' };

/** CREATED AT of the default table convertor (metav1 Table's "Created At"): time.RFC3339 in UTC, no fractional seconds. */
export const createdAtColumn: Column<WithMeta> = {
  name: 'Created At', type: 'date', description: AGE_DESCRIPTION,
  cell: (o) => (o.metadata?.creationTimestamp ? new Date(o.metadata.creationTimestamp).toISOString().replace(/\.\d{3}Z$/, 'Z') : ''),
};

export const ageColumn: Column<WithMeta> = { name: 'Age', type: 'string', description: AGE_DESCRIPTION, cell: (o, now) => ageOf(o, now) };

/** The wide CONTAINERS and IMAGES columns of a kind with a pod template (layoutContainerCells). */
export function containerColumns<T>(template: (obj: Partial<T>) => PodTemplateSpec | undefined): Array<Column<T>> {
  const containers = (obj: Partial<T>) => template(obj)?.spec?.containers ?? [];
  return [
    { name: 'Containers', type: 'string', priority: 1, description: 'Names of each container in the template.', cell: (o) => containers(o).map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', priority: 1, description: 'Images referenced by each container in the template.', cell: (o) => containers(o).map((c) => c.image ?? '').join(',') },
  ];
}
