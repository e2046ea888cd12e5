// Namespaces: NAME STATUS AGE.
import type { KObject, Namespace } from '../../api/types';
import { ageColumn, column, nameColumn } from './columns';
import { ageOf } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const namespacePrinter: KindPrinter = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells(obj: KObject, now: Date): TableCell[] {
    const ns = view<Namespace>(obj);
    // Namespace creation always sets phase Active; an unset phase shows what the server would have set.
    return [ns.metadata?.name ?? '', ns.status?.phase || 'Active', ageOf(ns, now)];
  },
};
