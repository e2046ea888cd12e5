// Deployments: NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR].
import type { Deployment, KObject } from '../../api/types';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageColumn, column, nameColumn, wide } from './columns';
import { containerCells } from './containers';
import { translateTimestampSince } from './duration';
import { selectorString } from './selector';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

export const deploymentPrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    wide('Containers', 'string', CONTAINERS_DESCRIPTION),
    wide('Images', 'string', IMAGES_DESCRIPTION),
    wide('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const d = view<Deployment>(obj);
    const desired = d.spec?.replicas ?? 1;
    const [names, images] = containerCells(d.spec?.template);
    return [
      d.metadata?.name ?? '',
      `${d.status?.readyReplicas ?? 0}/${desired}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      translateTimestampSince(d.metadata?.creationTimestamp, now),
      names,
      images,
      selectorString(d.spec?.selector) ?? '<invalid>',
    ];
  },
};
