// Which API resource each UI kind is.
import type { ResourceRef } from '../client/types';
import type { Kind } from './contract';

export const KIND_RESOURCES: Record<Kind, ResourceRef> = {
  nodes: { group: '', version: 'v1', plural: 'nodes', namespaced: false },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  deployments: { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true },
  services: { group: '', version: 'v1', plural: 'services', namespaced: true },
  events: { group: '', version: 'v1', plural: 'events', namespaced: true },
  machines: { group: 'flotilla.dev', version: 'v1alpha1', plural: 'machines', namespaced: false },
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  replicasets: { group: 'apps', version: 'v1', plural: 'replicasets', namespaced: true },
  jobs: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  statefulsets: { group: 'apps', version: 'v1', plural: 'statefulsets', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', plural: 'daemonsets', namespaced: true },
  cronjobs: { group: 'batch', version: 'v1', plural: 'cronjobs', namespaced: true },
};

export function resourceOfKind(kind: unknown): ResourceRef {
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(KIND_RESOURCES, kind)) {
    throw new BadRequest(`unknown kind "${String(kind)}"`);
  }
  return KIND_RESOURCES[kind as Kind];
}

/** A malformed bridge request (a bug in the caller, or a hostile one). */
export class BadRequest extends Error {}
