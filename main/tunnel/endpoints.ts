// A service backend's ready endpoints (pure): the Service port the Ingress names (by number or name) and the
// target port its EndpointSlices carry for it, then every ready endpoint backed by a pod (the agent's port-forward
// reaches pods by name). What is missing is said in words, for the 503 body.
import type { EndpointSlice, Service } from '../api/types';

export interface Target {
  namespace: string;
  pod: string;
  node: string;
  ip: string;
  port: number;
}

export type Targets = { targets: Target[] } | { problem: string };

export interface ServicePortRef {
  name?: string;
  number?: number;
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The EndpointSlices (of one namespace) that belong to the Service `name`. */
export function slicesOfService(slices: readonly EndpointSlice[], name: string): EndpointSlice[] {
  return slices.filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name);
}

const describePort = (p: ServicePortRef): string => (p.name ? `port "${p.name}"` : `port ${p.number ?? 0}`);

/** The ready pod endpoints of `svc` behind the port `ref` names, or why there are none. */
export function serviceTargets(svc: Service | undefined, slices: readonly EndpointSlice[], namespace: string, name: string, ref: ServicePortRef): Targets {
  if (!svc) return { problem: `service "${namespace}/${name}" not found` };
  const port = (svc.spec?.ports ?? []).find((p) => (ref.name ? p.name === ref.name : p.port === ref.number));
  if (!port) return { problem: `service "${namespace}/${name}" has no ${describePort(ref)}` };
  if ((port.protocol ?? 'TCP') !== 'TCP') return { problem: `service "${namespace}/${name}" ${describePort(ref)} is not TCP` };
  const targets: Target[] = [];
  for (const slice of slices) {
    const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === 'TCP');
    if (!slicePort?.port) continue;
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false || ep.targetRef?.kind !== 'Pod' || !ep.targetRef.name || !ep.nodeName) continue;
      targets.push({ namespace, pod: ep.targetRef.name, node: ep.nodeName, ip: ep.addresses[0] ?? '', port: slicePort.port });
    }
  }
  if (targets.length === 0) return { problem: `service "${namespace}/${name}" has no ready endpoints` };
  return { targets };
}

/** Round robin over each backend's targets (the counter survives changes of the list). */
export class RoundRobin {
  private readonly next = new Map<string, number>();

  pick(key: string, targets: readonly Target[]): Target {
    const i = (this.next.get(key) ?? 0) % targets.length;
    this.next.set(key, i + 1);
    return targets[i];
  }
}
