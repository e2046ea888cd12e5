// APIServices' facts shared by the API server (discovery, the aggregator's proxy, the table) and the controllers that
// register and check them: the automanaged label, the built-in group versions' priorities (kube-apiserver's table), the
// Local condition, and how `kubectl get apiservices` words the service and availability.
import type { APIService, APIServiceCondition, ConfigMap } from './types';

/** kube-aggregator's AutoRegisterManagedLabel: `onstart` (built-in group versions) or `true` (those CRDs serve). */
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/** kube-apiserver's APIService priorities of the built-in group versions: [groupPriorityMinimum, versionPriority]. */
const PRIORITIES: Readonly<Record<string, readonly [number, number]>> = {
  'v1': [18000, 1],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v2': [17500, 30],
  'autoscaling/v1': [17500, 15],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
  'apiregistration.k8s.io/v1': [18000, 15],
  // Served here, by add-ons elsewhere: metrics-server's APIService has 100/100.
  'metrics.k8s.io/v1beta1': [100, 100],
};

/** Group versions this server serves that clusters elsewhere get from an add-on (metrics-server): a user's may replace ours. */
export function isAddOn(a: Pick<APIService, 'spec'>): boolean {
  return a.spec.group === 'metrics.k8s.io';
}

/** What the CRD registration gives a custom resource's group version (and our own kinds, served as CRDs are). */
const CUSTOM_PRIORITY: readonly [number, number] = [1000, 100];

/** `v1.apps`, `v1.` for the core group: an APIService's name. */
export function apiServiceNameOf(group: string, version: string): string {
  return `${version}.${group}`;
}

/** The Local APIService of a group version this server serves itself. */
export function localAPIService(group: string, version: string, manage: 'onstart' | 'true'): APIService {
  const [groupPriorityMinimum, versionPriority] = PRIORITIES[group ? `${group}/${version}` : version] ?? CUSTOM_PRIORITY;
  return {
    apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService',
    metadata: { name: apiServiceNameOf(group, version), labels: { [AUTOMANAGED_LABEL]: manage } },
    spec: { service: null, group, version, groupPriorityMinimum, versionPriority },
  };
}

/** NewLocalAvailableAPIServiceCondition. */
export function localAvailableCondition(now: string): APIServiceCondition {
  return { type: 'Available', status: 'True', lastTransitionTime: now, reason: 'Local', message: 'Local APIServices are always available' };
}

/** An APIService's Available condition, if it has one. */
export function availableConditionOf(a: Pick<APIService, 'status'>): APIServiceCondition | undefined {
  return a.status?.conditions?.find((c) => c.type === 'Available');
}

/** Whether requests for the APIService's group version are proxied to a service (and it is Available). */
export function isRemote(a: Pick<APIService, 'spec'>): boolean {
  return a.spec?.service !== undefined && a.spec.service !== null;
}

/** The SERVICE column: `Local` or `<namespace>/<name>`. */
export function apiServiceServiceText(a: Pick<APIService, 'spec'>): string {
  const s = a.spec?.service;
  return s ? `${s.namespace ?? ''}/${s.name ?? ''}` : 'Local';
}

/** The AVAILABLE column: `True`, `False (MissingEndpoints)`, or `Unknown` without the condition. */
export function apiServiceAvailableText(a: Pick<APIService, 'status'>): string {
  const c = availableConditionOf(a);
  if (!c) return 'Unknown';
  if (c.status === 'True' || !c.reason) return c.status;
  return `${c.status} (${c.reason})`;
}

/** The front proxy's client certificate's CN (kubeadm's `front-proxy-client`, the one requestheader-allowed-names lists). */
export const FRONT_PROXY_CLIENT_CN = 'front-proxy-client';

/** The ConfigMap in kube-system that tells aggregated API servers how to trust the front proxy (and client certificates). */
export const EXTENSION_AUTHENTICATION_CONFIGMAP = 'extension-apiserver-authentication';

/**
 * kube-apiserver's extension-apiserver-authentication ConfigMap: the client CA, and the request-header CA, allowed
 * names and header names an aggregated server (k8s.io/apiserver's delegated authentication) trusts proxied requests by.
 */
export function extensionAuthenticationConfigMap(clientCaPem: string, requestHeaderCaPem: string): ConfigMap {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: EXTENSION_AUTHENTICATION_CONFIGMAP, namespace: 'kube-system' },
    data: {
      'client-ca-file': clientCaPem,
      'requestheader-allowed-names': JSON.stringify([FRONT_PROXY_CLIENT_CN]),
      'requestheader-client-ca-file': requestHeaderCaPem,
      'requestheader-extra-headers-prefix': JSON.stringify(['X-Remote-Extra-']),
      'requestheader-group-headers': JSON.stringify(['X-Remote-Group']),
      'requestheader-username-headers': JSON.stringify(['X-Remote-User']),
    },
  };
}
