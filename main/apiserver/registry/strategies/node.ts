// Nodes: the node registers itself with the status it reports (Kubernetes' nodeStrategy keeps all of it on create);
// a node's own writes pass NodeRestriction (admission/node-restriction.ts).
import type { Node } from '../../../api/types';
import { admitNodeWrite } from '../admission/node-restriction';
import type { Strategy } from '../strategy';

export const nodeStrategy: Strategy = {
  keepStatusOnCreate: true,
  checkRequester: (obj, old, requester) => admitNodeWrite(requester.user, obj as Node, old as Node | undefined),
  checkSubresourceRequester: (_sub, next, old, requester) => admitNodeWrite(requester.user, next as Node, old as Node),
};
