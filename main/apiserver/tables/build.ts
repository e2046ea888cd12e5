// buildTable: the meta.k8s.io/v1 Table for a list (or a watch event) of objects of one resource.
import type { ResourceInfo } from '../../api/resources';
import type { KObject } from '../../api/types';
import { tableFor } from './registry';
import { customResourceTable } from './custom-columns';
import type { BuildTableOptions, KindTable, Table, TableRow } from './types';

export function buildTable(r: ResourceInfo, objects: KObject[], opts: BuildTableOptions = {}): Table {
  return tableOf(r.crd ? customResourceTable(r) : tableFor(r), objects, opts);
}

/** The Table of objects in a given kind's columns (a subresource's own, such as the Scale's). */
export function tableOf(table: KindTable, objects: KObject[], opts: BuildTableOptions = {}): Table {
  const now = opts.now ?? new Date();
  const include = opts.includeObject ?? 'Metadata';
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: table.cells(obj, now) };
    const conditions = table.conditions(obj);
    if (conditions) row.conditions = conditions;
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') {
      row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    }
    return row;
  });
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continueToken) metadata.continue = opts.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.omitColumnDefinitions ? null : table.definitions.map((c) => ({ ...c })),
    rows,
  };
}
