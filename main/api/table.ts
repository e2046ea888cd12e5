// The meta.k8s.io/v1 Table as it goes on the wire (Accept: application/json;as=Table;v=v1;g=meta.k8s.io):
// what `kubectl get` prints, served by the API server's tables and read by the UI's resource browser.
import type { KObject, ObjectMeta } from './types';

export type TableColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: TableColumnType;
  /** '' or 'name' (the column holding the object name). */
  format: string;
  description: string;
  /** 0 = always shown; >0 = only with `-o wide`. */
  priority: number;
}

/** A cell as it goes on the wire: kubectl prints it with Go's %v (null, a custom column's missing value, as <none>). */
export type TableCell = string | number | boolean | null;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata (includeObject=Metadata, the default), the full object (Object), absent (None). */
  object?: PartialObjectMetadata | KObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  /** null when omitted (later events of a watch), as the real apiserver sends it. */
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** The Accept (and Content-Type) of a Table. */
export const TABLE_MEDIA_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
