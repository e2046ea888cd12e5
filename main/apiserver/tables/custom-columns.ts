// The table of a CRD's resource (apiextensions' tableconvertor): NAME and the version's
// additionalPrinterColumns, each a client-go JSONPath with missing keys allowed, its cell typed by the
// column's type; a version that declares none gets AGE (a "date" column of metadata.creationTimestamp).
import type { ResourceInfo } from '../../api/resources';
import type { KObject } from '../../api/types';
import { evaluate, parsePath, type JsonPath } from '../../api/jsonpath';
import { nameColumn } from './columns';
import { translateTimestampSince } from './duration';
import type { KindTable, TableCell, TableColumnDefinition, TableColumnType } from './types';

interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const AGE: PrinterColumn = { name: 'Age', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' };

/** Go's json.Marshal of a decoded value: map keys sorted. */
function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${goJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** A "string" column: the value as client-go's JSONPath prints it (text, or JSON for maps and lists). */
function textOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return goJson(v);
}

/** cellForJSONValue: the cell of a typed column, null when the value does not fit the type. */
function typedCell(type: string, v: unknown, now: Date): TableCell | null {
  switch (type) {
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      if (v === '' || v === 'null') return '<unknown>';
      return Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/i.test(v) ? '<invalid>' : translateTimestampSince(v, now);
    }
    default:
      return null;
  }
}

function cellOf(col: PrinterColumn, path: JsonPath | undefined, obj: KObject, now: Date): TableCell | null {
  if (!path) return null;
  const [value] = evaluate(path, obj);
  if (value === undefined) return null;
  return col.type === 'string' ? textOf(value) : typedCell(col.type, value, now);
}

function parseOrUndefined(jsonPath: string): JsonPath | undefined {
  try {
    return parsePath(jsonPath);
  } catch {
    return undefined;
  }
}

function buildCustomTable(columns: readonly PrinterColumn[]): KindTable {
  const cols = columns.length ? columns : [AGE];
  const paths = cols.map((c) => parseOrUndefined(c.jsonPath));
  const definitions: TableColumnDefinition[] = [
    { name: nameColumn.name, type: nameColumn.type, format: 'name', description: nameColumn.description, priority: 0 },
    ...cols.map((c) => ({
      name: c.name, type: c.type as TableColumnType, format: c.format ?? '', priority: c.priority ?? 0,
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
    })),
  ];
  return {
    definitions,
    cells: (obj, now) => [obj.metadata?.name ?? '', ...cols.map((c, i) => cellOf(c, paths[i], obj, now))],
    conditions: () => undefined,
  };
}

const tables = new WeakMap<ResourceInfo, KindTable>();

/** The table of a row a CRD serves (made once per row). */
export function customResourceTable(r: ResourceInfo): KindTable {
  let t = tables.get(r);
  if (!t) {
    t = buildCustomTable(r.crdVersion?.additionalPrinterColumns ?? []);
    tables.set(r, t);
  }
  return t;
}
