// Which pods a port forward's connection may go to now (pure, over lookups the caller keeps current): for a Service
// port, its ready endpoints (endpoints.ts, as the ingress proxy and the localhost load balancer pick); for a pod, the
// pod while it runs, else the ready pods of the same controller (a pod deleted and recreated by its ReplicaSet,
// StatefulSet, DaemonSet or Job): kubectl port-forward ends with its pod, a kept forward moves on.
import { isPodReady } from '../api/disruption';
import type { ForwardTarget } from '../api/port-forward';
import type { EndpointSlice, Pod, Service } from '../api/types';
import { serviceTargets, slicesOfService, type Target, type Targets } from './endpoints';

export interface TargetLookups {
  service(namespace: string, name: string): Service | undefined;
  /** The EndpointSlices of one namespace. */
  slices(namespace: string): EndpointSlice[];
  pod(namespace: string, name: string): Pod | undefined;
  /** The pods whose controller has this uid. */
  podsOfController(uid: string): Pod[];
}

/** The uid of a pod's controller (ownerReference with controller: true). */
export function controllerOf(pod: Pod | undefined): string | undefined {
  return pod?.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

const podTarget = (p: Pod, port: number): Target => ({
  namespace: p.metadata?.namespace ?? 'default', pod: p.metadata?.name ?? '', node: p.spec?.nodeName ?? '', ip: p.status?.podIP ?? '', port,
});

const runs = (p: Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && !!p.spec?.nodeName;

/** The pods a new connection may go to, or why there is none. `controller`: the uid recorded when the forward was made. */
export function forwardTargets(t: ForwardTarget, look: TargetLookups, controller?: string): Targets {
  if (t.kind === 'service') {
    return serviceTargets(look.service(t.namespace, t.name), slicesOfService(look.slices(t.namespace), t.name), t.namespace, t.name, { number: t.port });
  }
  const pod = look.pod(t.namespace, t.name);
  if (pod && runs(pod)) return { targets: [podTarget(pod, t.port)] };
  const siblings = controller ? look.podsOfController(controller).filter((p) => runs(p) && isPodReady(p)) : [];
  if (siblings.length) return { targets: siblings.map((p) => podTarget(p, t.port)) };
  if (!pod) return { problem: controller ? `pod "${t.namespace}/${t.name}" is gone and its controller has no ready pod` : `pod "${t.namespace}/${t.name}" not found` };
  return { problem: `pod "${t.namespace}/${t.name}" is not running (${pod.status?.phase ?? 'Pending'})` };
}
