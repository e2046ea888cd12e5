// Server-side tables for `kubectl get`.
export { buildTable } from './build';
export { printerFor } from './registry';
export { humanDuration, translateTimestampSince } from './duration';
export type {
  BuildTableOptions, IncludeObject, KindPrinter, PartialObjectMetadata, Table, TableCell, TableColumnDefinition,
  TableColumnType, TableRow, TableRowCondition,
} from './types';
