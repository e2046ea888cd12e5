// Secrets: NAME TYPE DATA AGE.
import type { KObject, Secret } from '../../api/types';
import { ageColumn, column, nameColumn } from './columns';
import { ageOf } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const secretPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const s = view<Secret>(obj);
    return [s.metadata?.name ?? '', s.type ?? '', Object.keys(s.data ?? {}).length, ageOf(s, now)];
  },
};
