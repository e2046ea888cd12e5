// Nodes: the node registers itself with the status it reports (Kubernetes' nodeStrategy keeps all of it on create),
// tainted not-ready until it reports Ready (admission/node-taint.ts); a node's own writes pass NodeRestriction
// (admission/node-restriction.ts).
import type { Node } from '../../../api/types';
import { admitNodeWrite } from '../admission/node-restriction';
import { admitNodeTaint } from '../admission/node-taint';
import type { Strategy } from '../strategy';

export const nodeStrategy: Strategy = {
  keepStatusOnCreate: true,
  admitCreate: (obj) => {
    admitNodeTaint(obj);
    return Promise.resolve();
  },
  checkRequester: (obj, old, requester) => admitNodeWrite(requester.user, obj as Node, old as Node | undefined),
  checkSubresourceRequester: (_sub, next, old, requester) => admitNodeWrite(requester.user, next as Node, old as Node),
  // A node deletes only its own Node (the rest of NodeRestriction's rules are about what a write changes).
  checkDeleteRequester: (obj, requester) => admitNodeWrite(requester.user, obj as Node, obj as Node),
};
