// Server-side tables for `kubectl get`.
export { buildTable } from './build';
export { tableFor } from './registry';
export { humanDuration, translateTimestampSince } from './duration';
export type {
  BuildTableOptions, Column, IncludeObject, KindTable, PartialObjectMetadata, Table, TableCell, TableColumnDefinition,
  TableColumnType, TableRow, TableRowCondition, TableSpec,
} from './types';
