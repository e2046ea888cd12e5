// The node authorizer (Kubernetes' plugin/pkg/auth/authorizer/node/node_authorizer.go) for a node's
// agent, user system:node:<name>: secrets and configmaps (get, and list/watch of one object by
// metadata.name), persistentvolumeclaims and persistentvolumes (get) and service-account tokens only
// when the graph leads from the object to the node; leases and CSINodes only its own; everything else by
// static rules. A request the node authorizer does not allow goes on to RBAC (authorizer.ts).
//
// The static rules are Kubernetes' system:node rules, with what this agent needs because it is also
// kube-proxy, the network-policy enforcer and the cluster DNS (one identity instead of several): reading
// services, endpointslices, namespaces, networkpolicies and every pod and node. As Kubernetes' NodeRules, a node may
// create, change and delete Nodes, create and delete pods, write pods' status and evict pods: NodeRestriction admission
// (registry/admission/node-restriction*.ts) then keeps it to its own Node and the pods bound to it.
// The node-local provisioner's half on the node lists and watches PersistentVolumes, and reads and
// drops its finalizer from the volumes provisioned on its node (in Kubernetes a provisioner has an
// identity of its own).
import type { Attributes, UserInfo } from './attributes';
import type { NodeGraph, VertexType } from './node-graph';

export interface NodeDecision {
  allowed: boolean;
  /** Why not (Kubernetes' reason text), '' when the static rules simply do not grant it. */
  reason: string;
}

const READ = new Set(['get', 'list', 'watch']);
const NODE_PREFIX = 'system:node:';

/** The node a user is (Kubernetes' nodeidentifier: name system:node:<name> in group system:nodes), or undefined. */
export function nodeOfUser(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_PREFIX) || !user.groups.includes('system:nodes')) return undefined;
  return user.name.slice(NODE_PREFIX.length) || undefined;
}

/** Static rules: what every node may read. */
const NODE_READABLE = new Set([
  'nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'namespaces', 'events', 'networkpolicies', 'runtimeclasses', 'csidrivers',
]);

const ALLOW: NodeDecision = { allowed: true, reason: '' };
const deny = (reason = ''): NodeDecision => ({ allowed: false, reason });

/** Whether the node `node` may do this. */
export function nodeDecide(node: string, a: Attributes, graph: NodeGraph): NodeDecision {
  if (!a.resourceRequest) return ALLOW;
  const core = a.group === '';
  if (core && (a.resource === 'secrets' || a.resource === 'configmaps')) {
    return readNamespacedObject(node, a, graph, a.resource === 'secrets' ? 'secret' : 'configmap');
  }
  if (core && a.resource === 'persistentvolumeclaims') {
    return a.subresource === 'status' ? statusUpdate(node, a, graph) : getRelated(node, a, graph, 'pvc');
  }
  if (core && a.resource === 'persistentvolumes') {
    // The node-local provisioner (see above) watches every volume and updates its own; a read of one volume is the graph's.
    if ((a.verb === 'list' || a.verb === 'watch') && !a.subresource) return ALLOW;
    if (a.verb === 'update' && !a.subresource) {
      return graph.isLocalVolumeOf(node, a.name) ? ALLOW : deny(`no relationship found between node '${node}' and this object`);
    }
    return getRelated(node, a, graph, 'pv');
  }
  if (core && a.resource === 'serviceaccounts') return createToken(node, a, graph);
  if (a.group === 'coordination.k8s.io' && a.resource === 'leases') return lease(node, a);
  if (a.group === 'storage.k8s.io' && a.resource === 'csinodes') return csiNode(node, a);
  return staticRules(a);
}

/** Kubernetes' NodeRules "needed to check API access" (the kubelet's webhook authentication and authorization). */
function accessReview(a: Attributes): boolean {
  if (a.verb !== 'create') return false;
  if (a.group === 'authentication.k8s.io') return a.resource === 'tokenreviews';
  return a.group === 'authorization.k8s.io' && (a.resource === 'subjectaccessreviews' || a.resource === 'localsubjectaccessreviews');
}

/**
 * The subresources the static rules grant, as Kubernetes' NodeRules do: nodes/status and pods/status writes, pods/eviction.
 * No other: not nodes/proxy (a node reaching other kubelets, exec included), not pods/log, exec, attach or portforward.
 */
const STATIC_SUBRESOURCES: Record<string, ReadonlySet<string>> = { nodes: new Set(['', 'status']), pods: new Set(['', 'status', 'eviction']) };

const WRITE = new Set(['update', 'patch']);

function staticRules(a: Attributes): NodeDecision {
  if (accessReview(a)) return ALLOW;
  if (a.subresource && !STATIC_SUBRESOURCES[a.resource]?.has(a.subresource)) return deny();
  if (READ.has(a.verb) && NODE_READABLE.has(a.resource) && !a.subresource) return ALLOW;
  switch (a.resource) {
    case 'nodes':
      if (a.subresource === 'status') return WRITE.has(a.verb) ? ALLOW : deny();
      return a.verb === 'create' || a.verb === 'delete' || WRITE.has(a.verb) ? ALLOW : deny();
    case 'pods':
      if (a.subresource === 'status') return WRITE.has(a.verb) ? ALLOW : deny();
      if (a.subresource === 'eviction') return a.verb === 'create' ? ALLOW : deny();
      return a.verb === 'create' || a.verb === 'delete' ? ALLOW : deny();
    case 'events':
      return a.verb === 'create' || a.verb === 'patch' || a.verb === 'update' ? ALLOW : deny();
    default:
      return deny();
  }
}

/** authorizeReadNamespacedObject: get/list/watch of one named object of the namespace, related to the node. */
function readNamespacedObject(node: string, a: Attributes, graph: NodeGraph, type: VertexType): NodeDecision {
  if (!READ.has(a.verb)) return deny('can only read resources of this type');
  if (a.subresource) return deny('cannot read subresource');
  if (!a.namespace) return deny('can only read namespaced object of this type');
  return related(node, a, graph, type);
}

/** authorizeGet: get of one object (no subresource), related to the node. */
function getRelated(node: string, a: Attributes, graph: NodeGraph, type: VertexType): NodeDecision {
  if (a.verb !== 'get') return deny('can only get individual resources of this type');
  if (a.subresource) return deny('cannot get subresource');
  return related(node, a, graph, type);
}

/** authorizeStatusUpdate: update/patch of the status of an object related to the node. */
function statusUpdate(node: string, a: Attributes, graph: NodeGraph): NodeDecision {
  if (a.verb !== 'update' && a.verb !== 'patch') return deny('can only get/update/patch this type');
  return related(node, a, graph, 'pvc');
}

/** authorizeCreateToken: serviceaccounts/token of an account a pod on the node runs as. */
function createToken(node: string, a: Attributes, graph: NodeGraph): NodeDecision {
  if (a.verb !== 'create' || !a.name) return deny('can only create tokens for individual service accounts');
  if (a.subresource !== 'token') return deny('can only create token subresource of serviceaccount');
  return related(node, a, graph, 'serviceaccount');
}

function related(node: string, a: Attributes, graph: NodeGraph, type: VertexType): NodeDecision {
  if (!a.name) return deny('No Object name found');
  return graph.hasPath(node, type, a.namespace, a.name) ? ALLOW : deny(`no relationship found between node '${node}' and this object`);
}

function lease(node: string, a: Attributes): NodeDecision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny('can only get, create, update, patch, or delete a node lease');
  if (a.namespace !== 'kube-node-lease') return deny('can only access leases in the "kube-node-lease" system namespace');
  if (a.verb !== 'create' && a.name !== node) return deny('can only access node lease with the same name as the requesting node');
  return ALLOW;
}

function csiNode(node: string, a: Attributes): NodeDecision {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) return deny('can only get, create, update, patch, or delete a CSINode');
  if (a.subresource) return deny('cannot authorize CSINode subresources');
  if (a.verb !== 'create' && a.name !== node) return deny('can only access CSINode with the same name as the requesting node');
  return ALLOW;
}
