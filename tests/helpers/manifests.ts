// Manifests tests create often: workloads selecting app=<name>, their template labelled the same.
import type { CronJob, DaemonSet, Deployment, Job, PodSpec, ReplicaSet, StatefulSet } from '../../main/api/types';

/** A fresh pod spec each time: tests change what they get, and the in-process test files share this module. */
const basePodSpec = (): PodSpec => ({ containers: [{ name: 'app', image: 'app:1' }] });

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
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: basePodSpec() }, ...extra },
  };
}

/** A StatefulSet (serviceName = its name) of basePodSpec's container; `extra` is merged into its spec. */
export function statefulSetManifest(name: string, replicas: number, extra: Partial<StatefulSet['spec']> = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      serviceName: name, replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: basePodSpec() }, ...extra,
    },
  };
}

/** A DaemonSet; `podSpec` is merged into its template's pod spec. */
export function daemonSetManifest(name: string, podSpec: Partial<PodSpec> = {}, extra: Partial<DaemonSet['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { ...basePodSpec(), ...podSpec } }, ...extra },
  };
}

/** A Job of one `app` container (restartPolicy Never) labelled app=<name>; `extra` is merged into its spec. */
export function jobManifest(name: string, extra: Partial<Job['spec']> = {}): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { ...basePodSpec(), restartPolicy: 'Never' } }, ...extra },
  };
}

/** A CronJob whose jobs run jobManifest's template; `extra` is merged into its spec. */
export function cronJobManifest(name: string, schedule: string, extra: Partial<CronJob['spec']> = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: { schedule, jobTemplate: { spec: { template: { metadata: { labels: { app: name } }, spec: { ...basePodSpec(), restartPolicy: 'Never' } } } }, ...extra },
  };
}
