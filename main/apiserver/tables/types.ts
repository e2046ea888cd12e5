// The meta.k8s.io/v1 Table shape that `kubectl get` asks for (Accept: application/json;as=Table;v=v1;g=meta.k8s.io),
// and the declarative column tables of the kinds.
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

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface BuildTableOptions {
  includeObject?: IncludeObject;
  now?: Date;
  resourceVersion?: string;
  continueToken?: string;
  omitColumnDefinitions?: boolean;
}

/**
 * One column of a kind's table: its definition as kubectl receives it, and its cell of an object.
 * `T` is the kind's wire type; the object is read through it with every field optional.
 */
export interface Column<T> {
  name: string;
  type: TableColumnType;
  description: string;
  /** 0 (the default): always shown; 1: only with `-o wide`. */
  priority?: number;
  /** 'name' for the column that holds the object's name; '' (the default) otherwise. */
  format?: string;
  cell(obj: Partial<T>, now: Date): TableCell;
}

/** A kind's table, declared: its columns in order (wide ones included) and the conditions of a row. */
export interface TableSpec<T> {
  columns: ReadonlyArray<Column<T>>;
  conditions?(obj: Partial<T>): TableRowCondition[] | undefined;
}

/** A kind's table, ready to render: column definitions, and the cells and conditions of one object. */
export interface KindTable {
  readonly definitions: readonly TableColumnDefinition[];
  cells(obj: KObject, now: Date): TableCell[];
  conditions(obj: KObject): TableRowCondition[] | undefined;
}
