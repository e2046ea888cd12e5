// The declarative column tables of the kinds; the Table's wire shape is main/api/table.ts.
import type { KObject } from '../../api/types';

export type {
  TableColumnType, TableColumnDefinition, TableCell, TableRowCondition, PartialObjectMetadata, TableRow, Table,
} from '../../api/table';
import type { TableColumnDefinition, TableColumnType, TableCell, TableRowCondition } from '../../api/table';

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
