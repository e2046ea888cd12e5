// Which pods back a service (and which services a pod backs), and the ports each pod offers for
// the service's ports (named targetPorts resolved against the pod's container ports).
import type { ObjectReference, Pod, Service, ServicePort } from '../api/types';
import { selectorFromSet } from '../api/labels';
import type { Informer } from '../client/cache/informer';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { keyOf } from '../client/refs';

export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** The keys of the services in the pod's namespace whose selector matches it (servicesOfPod / GetPodServiceMemberships). */
export function servicesOfPod(services: Informer<Service>, pod: Pod): string[] {
  const out: string[] = [];
  for (const svc of services.byIndex(BY_NAMESPACE, pod.metadata?.namespace ?? '')) {
    const sel = svc.spec?.selector;
    if (sel && Object.keys(sel).length && selectorFromSet(sel).matches(pod.metadata?.labels)) out.push(keyOf(svc));
  }
  return out;
}

/** Whether a pod update can change the endpoints of a service: IP, readiness, termination, labels, node. */
export function endpointsChanged(o: Pod, p: Pod): boolean {
  const ready = (x: Pod) => x.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return o.status?.podIP !== p.status?.podIP || ready(o) !== ready(p) || !!o.metadata?.deletionTimestamp !== !!p.metadata?.deletionTimestamp ||
    !sameJson(o.metadata?.labels, p.metadata?.labels) || o.spec?.nodeName !== p.spec?.nodeName;
}

export function servicePods(svc: Service, pods: Informer<Pod>): Pod[] {
  const sel = svc.spec?.selector;
  if (!sel || !Object.keys(sel).length) return [];
  const s = selectorFromSet(sel);
  return pods.byIndex(BY_NAMESPACE, svc.metadata?.namespace ?? '').filter((p) => s.matches(p.metadata?.labels));
}

function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/** The ports of `pod` for the service (ports the pod cannot serve are left out). */
export function podPorts(svc: Service, pod: Pod): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** Whether an endpoint for the pod is published, and whether it is ready / serving / terminating. */
export function podEndpointState(svc: Service, pod: Pod): { include: boolean; ready: boolean; serving: boolean; terminating: boolean } {
  const ip = pod.status?.podIP;
  if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return { include: false, ready: false, serving: false, terminating: false };
  const terminating = !!pod.metadata?.deletionTimestamp;
  const serving = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const publish = !!svc.spec?.publishNotReadyAddresses;
  return { include: true, ready: publish || (serving && !terminating), serving: publish || serving, terminating };
}

/** The endpoint's reference to its pod. */
export function podTargetRef(pod: Pod): ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
}

/** The endpoint's hostname: the pod's spec.hostname when its spec.subdomain names the service (as Kubernetes' controllers set it). */
export function endpointHostname(svc: Service, pod: Pod): { hostname?: string } {
  const h = pod.spec?.hostname;
  return h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? { hostname: h } : {};
}

export type EndpointState = ReturnType<typeof podEndpointState>;

/** The service's pods that publish an endpoint (with their state), grouped by their resolved ports. */
export function endpointGroups(svc: Service, pods: Informer<Pod>): Array<{ ports: ResolvedPort[]; members: Array<{ pod: Pod; state: EndpointState }> }> {
  const groups = new Map<string, { ports: ResolvedPort[]; members: Array<{ pod: Pod; state: EndpointState }> }>();
  for (const pod of servicePods(svc, pods)) {
    const state = podEndpointState(svc, pod);
    if (!state.include) continue;
    const ports = podPorts(svc, pod);
    const k = JSON.stringify(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, members: [] }));
    g.members.push({ pod, state });
  }
  return [...groups.values()];
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
