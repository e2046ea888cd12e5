// Column-definition helpers shared by the per-kind printers.
import type { TableColumnDefinition, TableColumnType } from './types';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.';
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.';

export function column(name: string, type: TableColumnType, description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export function nameColumn(priority = 0): TableColumnDefinition {
  return column('Name', 'string', NAME_DESCRIPTION, priority, 'name');
}

export function ageColumn(): TableColumnDefinition {
  return column('Age', 'string', AGE_DESCRIPTION);
}

/** A wide (priority 1) column. */
export function wide(name: string, type: TableColumnType, description: string): TableColumnDefinition {
  return column(name, type, description, 1);
}

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';
