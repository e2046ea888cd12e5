// ConfigMaps: NAME DATA AGE (DATA counts data and binaryData keys).
import type { ConfigMap, KObject } from '../../api/types';
import { ageColumn, column, nameColumn } from './columns';
import { ageOf } from './duration';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const configMapPrinter: KindPrinter = {
  columns: [nameColumn(), column('Data', 'string', 'Data contains the configuration data.'), ageColumn()],
  cells(obj: KObject, now: Date): TableCell[] {
    const cm = view<ConfigMap>(obj);
    return [cm.metadata?.name ?? '', Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, ageOf(cm, now)];
  },
};
