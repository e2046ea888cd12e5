// The ReplicationController controller (Kubernetes' ReplicationManager): the ReplicaSet controller's logic
// (replicaset.ts) over core/v1 ReplicationControllers, whose selector is a plain label map.
import { selectorFromSet } from '../api/labels';
import type { ReplicationController } from '../api/types';
import type { Controller, ControllerContext } from './controller';
import { newReplicaController } from './replicaset';

export function newReplicationControllerController(ctx: ControllerContext): Controller {
  return newReplicaController(ctx, {
    resource: 'replicationcontrollers', kind: 'ReplicationController', controller: 'replicationcontroller', component: 'replication-controller',
    selectorEmpty: (o) => selectorFromSet((o as ReplicationController).spec?.selector).empty,
  });
}
