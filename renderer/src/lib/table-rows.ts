// Rows of a server Table (kubectl's columns) for the browser: the columns shown (priority 0, or all
// when wide), sorting by a column as its type says, and the object a row stands for.
import type { Table, TableCell, TableColumnDefinition, TableRow } from '../../../main/api/table';

export interface ShownColumn {
  def: TableColumnDefinition;
  /** Its index in each row's cells; NAMESPACE_COLUMN for the namespace kubectl adds with --all-namespaces. */
  index: number;
}

export const NAMESPACE_COLUMN = -1;
const NAMESPACE_DEF: TableColumnDefinition = { name: 'Namespace', type: 'string', format: '', description: 'The namespace of the object.', priority: 0 };

/** The columns kubectl prints: priority 0 (all with wide), led by NAMESPACE when listing every namespace (-A). */
export function shownColumns(t: Pick<Table, 'columnDefinitions'> | undefined, wide: boolean, allNamespaces = false): ShownColumn[] {
  const cols = (t?.columnDefinitions ?? []).map((def, index) => ({ def, index })).filter((c) => wide || c.def.priority === 0);
  return allNamespaces ? [{ def: NAMESPACE_DEF, index: NAMESPACE_COLUMN }, ...cols] : cols;
}

/** A row's cell of a shown column. */
export function cellOf(r: TableRow, index: number): TableCell | undefined {
  return index === NAMESPACE_COLUMN ? rowNamespace(r) ?? null : r.cells[index];
}

/** A cell as kubectl prints it (Go's %v); a missing value prints as nothing. */
export function cellText(c: TableCell | undefined): string {
  return c === null || c === undefined ? '' : String(c);
}

export function rowName(r: TableRow): string {
  return r.object?.metadata?.name ?? cellText(r.cells[0]);
}
export function rowNamespace(r: TableRow): string | undefined {
  return r.object?.metadata?.namespace;
}
export function rowKey(r: TableRow): string {
  return r.object?.metadata?.uid ?? `${rowNamespace(r) ?? ''}/${rowName(r)}`;
}

export interface SortBy {
  /** Index into the cells. */
  index: number;
  descending: boolean;
}

/** How a column compares: numbers as numbers, ages by the objects' creation (newest first is "smallest age"), the rest naturally. */
function comparer(def: TableColumnDefinition | undefined, index: number): (a: TableRow, b: TableRow) => number {
  if (def && (def.type === 'integer' || def.type === 'number')) {
    const n = (r: TableRow) => { const v = Number(r.cells[index]); return r.cells[index] !== null && Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY; };
    return (a, b) => n(a) - n(b);
  }
  if (def && (def.name === 'Age' || def.type === 'date')) {
    // A younger object has a smaller age: later creation sorts first.
    const t = (r: TableRow) => Date.parse(r.object?.metadata?.creationTimestamp ?? '') || 0;
    return (a, b) => t(b) - t(a);
  }
  return (a, b) => cellText(cellOf(a, index)).localeCompare(cellText(cellOf(b, index)), undefined, { numeric: true, sensitivity: 'base' });
}

/** Sorted copy; ties keep the server's order (namespace, then name). */
export function sortRows(t: Table, by: SortBy | undefined): TableRow[] {
  if (!by) return t.rows;
  const cmp = comparer(by.index === NAMESPACE_COLUMN ? NAMESPACE_DEF : t.columnDefinitions?.[by.index], by.index);
  const indexed = t.rows.map((r, i) => ({ r, i }));
  indexed.sort((a, b) => (by.descending ? -cmp(a.r, b.r) : cmp(a.r, b.r)) || a.i - b.i);
  return indexed.map((x) => x.r);
}

/** The slice of rows a scrolled viewport shows (fixed row height), with a few rows of slack either side. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}
