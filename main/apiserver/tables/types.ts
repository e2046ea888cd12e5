// The meta.k8s.io/v1 Table shape that `kubectl get` asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io),
// and the small contract every per-kind printer implements.
import type { KObject, ObjectMeta } from '../../api/types';

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

/** A cell as it goes on the wire: kubectl prints it with Go's %v. */
export type TableCell = string | number | boolean;

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

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface BuildTableOptions {
  includeObject?: IncludeObject;
  now?: Date;
  resourceVersion?: string;
  continueToken?: string;
  omitColumnDefinitions?: boolean;
}

/** One kind's printer: its columns (wide ones included) and the cells of one object, in column order. */
export interface KindPrinter {
  columns: readonly TableColumnDefinition[];
  cells(obj: KObject, now: Date): TableCell[];
  conditions?(obj: KObject): TableRowCondition[] | undefined;
}
