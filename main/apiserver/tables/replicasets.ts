// ReplicaSets: NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR].
import type { KObject, ReplicaSet } from '../../api/types';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageColumn, column, nameColumn, wide } from './columns';
import { containerCells } from './containers';
import { translateTimestampSince } from './duration';
import { formatLabelSelector } from './selector';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const replicaSetPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    ageColumn(),
    wide('Containers', 'string', CONTAINERS_DESCRIPTION),
    wide('Images', 'string', IMAGES_DESCRIPTION),
    wide('Selector', 'string', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const rs = view<ReplicaSet>(obj);
    const [names, images] = containerCells(rs.spec?.template);
    return [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 1,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(rs.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
