// The node authorizer: a node's agent reads what its pods need and changes only its own Node,
// Lease, the pods bound to it and events; it may request tokens for its pods' service accounts
// (the TokenRequest handler checks that the token is bound to a pod on that node).
import type { Attributes } from './attributes';

const NODE_READABLE = new Set([
  'nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'configmaps', 'secrets', 'namespaces', 'leases', 'events', 'serviceaccounts',
  'persistentvolumeclaims', 'persistentvolumes', 'networkpolicies', 'runtimeclasses',
]);

/**
 * Whether the node `node` may do this. `objectNode` is the spec.nodeName of the pod a pod write
 * touches (looked up by the caller: see needsObjectNode).
 */
export function nodeAllows(node: string, a: Attributes, objectNode?: string): boolean {
  if (!a.resourceRequest) return true;
  if (a.verb === 'get' || a.verb === 'list' || a.verb === 'watch') return NODE_READABLE.has(a.resource);
  switch (a.resource) {
    case 'nodes':
      return a.verb === 'create' || a.name === node;
    case 'leases':
      return a.namespace === 'kube-node-lease' && (a.verb === 'create' || a.name === node);
    case 'pods':
      return objectNode === node;
    case 'events':
      return a.verb === 'create' || a.verb === 'patch' || a.verb === 'update';
    case 'serviceaccounts':
      return a.subresource === 'token' && a.verb === 'create';
    case 'persistentvolumes':
      // The node-local provisioner's cleanup: the node drops its finalizer once the directory is gone.
      return a.verb === 'update' && !a.subresource;
    default:
      return false;
  }
}

/** The reason the node authorizer gives for what it denies. */
export const NODE_DENIAL = 'a node may only change its own Node, Lease and the pods bound to it';
