// Shared helpers for the table golden tests.
import { RESOURCES, type ResourceInfo } from '../../../main/api/resources';
import type { KObject } from '../../../main/api/types';
import { buildTable } from '../../../main/apiserver/tables';
import type { TableCell } from '../../../main/apiserver/tables';

export const NOW = new Date('2026-03-01T12:00:00Z');

/** An RFC 3339 timestamp `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function resource(group: string, plural: string): ResourceInfo {
  const r = RESOURCES.find((x) => x.group === group && x.plural === plural && !x.virtual);
  if (!r) throw new Error(`no resource ${group}/${plural}`);
  return r;
}

/** The cells of one object's row. */
export function cells(group: string, plural: string, obj: KObject): TableCell[] {
  return buildTable(resource(group, plural), [obj], { now: NOW }).rows[0].cells;
}

/** Cells keyed by upper-cased column name, as kubectl headers them. */
export function row(group: string, plural: string, obj: KObject): Record<string, TableCell> {
  const table = buildTable(resource(group, plural), [obj], { now: NOW });
  const out: Record<string, TableCell> = {};
  (table.columnDefinitions ?? []).forEach((c, i) => {
    out[c.name.toUpperCase()] = table.rows[0].cells[i];
  });
  return out;
}

/** Column headers, normal then wide, as `kubectl get` and `kubectl get -o wide` show them. */
export function headers(group: string, plural: string): { normal: string[]; wide: string[] } {
  const cols = buildTable(resource(group, plural), [], { now: NOW }).columnDefinitions ?? [];
  return {
    normal: cols.filter((c) => c.priority === 0).map((c) => c.name.toUpperCase()),
    wide: cols.map((c) => c.name.toUpperCase()),
  };
}
