// Manifests tests create often: workloads selecting app=<name>, their template labelled the same.
import type { DaemonSet, Deployment, PodSpec, ReplicaSet } from '../../main/api/types';

const POD_SPEC: PodSpec = { containers: [{ name: 'app', image: 'app:1' }] };

export function deploymentManifest(name: string, replicas: number, image = 'nginx:1.27', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 80 }] }] } },
      ...extra,
    },
  };
}

export function replicaSetManifest(name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: POD_SPEC }, ...extra },
  };
}

/** A DaemonSet; `podSpec` is merged into its template's pod spec. */
export function daemonSetManifest(name: string, podSpec: Partial<PodSpec> = {}, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { ...POD_SPEC, ...podSpec } }, ...extra },
  };
}
