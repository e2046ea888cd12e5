// Leases: NAME HOLDER AGE.
import type { KObject, Lease } from '../../api/types';
import { ageColumn, column, nameColumn } from './columns';
import { ageOf } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const leasePrinter: KindPrinter = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells(obj: KObject, now: Date): TableCell[] {
    const l = view<Lease>(obj);
    return [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', ageOf(l, now)];
  },
};
