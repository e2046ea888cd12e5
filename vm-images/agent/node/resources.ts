// The API resources the agent reads and writes, as ResourceRefs for the HTTP client.
import type { ResourceRef } from '../../../main/client/types';

export const NODES: ResourceRef = { group: '', version: 'v1', plural: 'nodes', namespaced: false };
export const PODS: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };
export const SERVICES: ResourceRef = { group: '', version: 'v1', plural: 'services', namespaced: true };
export const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
export const SECRETS: ResourceRef = { group: '', version: 'v1', plural: 'secrets', namespaced: true };
export const EVENTS: ResourceRef = { group: '', version: 'v1', plural: 'events', namespaced: true };
export const ENDPOINTSLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', namespaced: true };
export const LEASES: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const KUBELET_VERSION = 'v1.32.0-flotilla';
