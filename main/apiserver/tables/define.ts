// The one place a declared table (TableSpec) becomes a renderable one (KindTable): column
// definitions in the wire shape, and a row's cells in column order.
import type { KObject } from '../../api/types';
import type { KindTable, TableSpec } from './types';

export function defineTable<T>(spec: TableSpec<T>): KindTable {
  // Stored objects are untyped JSON: each kind reads them through its wire type, every field optional.
  const view = (obj: KObject) => obj as unknown as Partial<T>;
  const definitions = Object.freeze(spec.columns.map((c) => Object.freeze({
    name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: c.priority ?? 0,
  })));
  return {
    definitions,
    cells: (obj, now) => spec.columns.map((c) => c.cell(view(obj), now)),
    conditions: (obj) => spec.conditions?.(view(obj)),
  };
}
