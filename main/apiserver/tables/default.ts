// Anything without its own printer: NAME AGE.
import type { KObject } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { ageOf } from './duration';
import type { KindPrinter, TableCell } from './types';

export const defaultPrinter: KindPrinter = {
  columns: [nameColumn(), ageColumn()],
  cells(obj: KObject, now: Date): TableCell[] {
    return [obj.metadata?.name ?? '', ageOf(obj, now)];
  },
};
