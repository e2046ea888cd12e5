// The localhost load balancer's plan (pure): which host port each LoadBalancer Service of our class wants. Every TCP
// port of such a Service is one listener on the host's 127.0.0.1:<port>, as Docker Desktop and k3d's servicelb do;
// two Services asking for one port: the older (creationTimestamp, then namespace/name) keeps it, the other is told.
import { FLOTILLA_LOAD_BALANCER_CLASS } from '../api/load-balancer';
import type { Service } from '../api/types';

/** One host port and the Service port it forwards to. */
export interface PortClaim {
  /** namespace/name of the Service. */
  key: string;
  namespace: string;
  name: string;
  /** The Service port (= the host port). */
  port: number;
  /** The Service port's name ('' when unnamed), to match its EndpointSlices' port. */
  portName: string;
}

export interface LoadBalancerPlan {
  /** Host port → the claim that holds it. */
  ports: Map<number, PortClaim>;
  /** Claims that lost their port to an older Service, with that Service's key. */
  conflicts: Array<{ claim: PortClaim; holder: string }>;
}

/** Kubernetes' wantsLoadBalancer, for our class (none or flotilla.dev/load-balancer), not being deleted. */
export function wantsLocalLoadBalancer(svc: Service): boolean {
  const cls = svc.spec?.loadBalancerClass;
  return svc.spec?.type === 'LoadBalancer' && (!cls || cls === FLOTILLA_LOAD_BALANCER_CLASS) && !svc.metadata?.deletionTimestamp;
}

const keyOfService = (s: Service): string => `${s.metadata?.namespace ?? 'default'}/${s.metadata?.name ?? ''}`;

function older(a: Service, b: Service): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return keyOfService(a) < keyOfService(b) ? -1 : 1;
}

/** The TCP ports each wanting Service claims (UDP and SCTP ports are not served), oldest Service first. */
export function planLoadBalancers(services: readonly Service[]): LoadBalancerPlan {
  const ports = new Map<number, PortClaim>();
  const conflicts: LoadBalancerPlan['conflicts'] = [];
  for (const svc of services.filter(wantsLocalLoadBalancer).sort(older)) {
    const key = keyOfService(svc);
    for (const p of svc.spec?.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      const claim: PortClaim = { key, namespace: svc.metadata?.namespace ?? 'default', name: svc.metadata?.name ?? '', port: p.port, portName: p.name ?? '' };
      const holder = ports.get(p.port);
      if (holder) conflicts.push({ claim, holder: holder.key });
      else ports.set(p.port, claim);
    }
  }
  return { ports, conflicts };
}

/** Whether a listener for `a` serves `b` unchanged. */
export function sameClaim(a: PortClaim, b: PortClaim): boolean {
  return a.key === b.key && a.port === b.port && a.portName === b.portName;
}
