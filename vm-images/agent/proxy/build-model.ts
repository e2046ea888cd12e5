// API objects → proxy model: Services with a ClusterIP, joined to their IPv4 EndpointSlices
// (label kubernetes.io/service-name). Target ports come from the slices' ports, which the
// EndpointSlice controller has already resolved (named targetPorts included), per slice.
import type { EndpointSlice, Service } from '../../../main/api/types';
import { DEFAULT_CLUSTER_CIDR } from '../../../main/api/cluster-cidr';
import {
  DEFAULT_AFFINITY_TIMEOUT_SECONDS, type EndpointModel, type ProxyModel, type ServiceModel,
  type ServicePortModel, type ServiceProtocol,
} from './model';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

function protocolOf(p: string | undefined): ServiceProtocol {
  return p === 'UDP' || p === 'SCTP' ? p : 'TCP';
}

function servicePorts(svc: Service): ServicePortModel[] {
  return (svc.spec?.ports ?? [])
    .filter((p) => typeof p.port === 'number' && p.port > 0)
    .map((p) => {
      const port: ServicePortModel = { name: p.name ?? '', port: p.port, protocol: protocolOf(p.protocol) };
      const usesNodePort = svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
      if (usesNodePort && typeof p.nodePort === 'number' && p.nodePort > 0) port.nodePort = p.nodePort;
      return port;
    });
}

function endpointsOf(slices: EndpointSlice[], ports: ServicePortModel[]): EndpointModel[] {
  const byIP = new Map<string, EndpointModel>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    // Service port name → this slice's target port for it.
    const targets = new Map<string, number>();
    for (const sp of ports) {
      const match = (slice.ports ?? []).find((p) => (p.name ?? '') === sp.name && protocolOf(p.protocol) === sp.protocol);
      if (match && typeof match.port === 'number') targets.set(sp.name, match.port);
    }
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses[0];
      if (!ip) continue;
      // A nil ready condition means "unknown": consumers treat it as ready.
      const ready = ep.conditions?.ready !== false;
      const existing = byIP.get(ip);
      const model: EndpointModel = existing ?? { ip, ports: {}, ready, ...(ep.nodeName ? { nodeName: ep.nodeName } : {}) };
      model.ready = existing ? existing.ready || ready : ready;
      for (const [name, port] of targets) if (model.ports[name] === undefined) model.ports[name] = port;
      byIP.set(ip, model);
    }
  }
  return [...byIP.values()];
}

const ipv4 = (ip: string | undefined): ip is string => !!ip && !ip.includes(':');

/** externalIPs, load balancer addresses and traffic policies, present only when set (older models stay as they were). */
function trafficFields(svc: Service): Partial<ServiceModel> {
  const spec = svc.spec;
  const out: Partial<ServiceModel> = {};
  const externalIPs = (spec?.externalIPs ?? []).filter(ipv4);
  if (externalIPs.length) out.externalIPs = externalIPs;
  // ipMode Proxy means the load balancer rewrites the destination itself: kube-proxy leaves such addresses alone.
  const lbIPs = spec?.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).filter((i) => i.ipMode !== 'Proxy').map((i) => i.ip).filter(ipv4) : [];
  if (lbIPs.length) out.loadBalancerIPs = lbIPs;
  const external = spec?.type === 'NodePort' || spec?.type === 'LoadBalancer' || externalIPs.length > 0;
  if (external && spec?.externalTrafficPolicy === 'Local') out.externalTrafficPolicy = 'Local';
  if (spec?.internalTrafficPolicy === 'Local') out.internalTrafficPolicy = 'Local';
  if (spec?.type === 'LoadBalancer' && spec.healthCheckNodePort) out.healthCheckNodePort = spec.healthCheckNodePort;
  return out;
}

/** Builds the proxy model for the node `nodeName` (NodePorts answer on its `nodeIPs`). */
export function buildModel(
  services: Service[],
  slices: EndpointSlice[],
  nodeName: string,
  nodeIPs: string[],
  clusterCIDR: string = DEFAULT_CLUSTER_CIDR,
): ProxyModel {
  const slicesBySvc = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const owner = s.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!owner) continue;
    const key = `${s.metadata?.namespace ?? 'default'}/${owner}`;
    const list = slicesBySvc.get(key) ?? [];
    list.push(s);
    slicesBySvc.set(key, list);
  }
  const models: ServiceModel[] = [];
  for (const svc of services) {
    const name = svc.metadata?.name;
    const namespace = svc.metadata?.namespace ?? 'default';
    const clusterIP = svc.spec?.clusterIP;
    if (!name || !clusterIP || clusterIP === 'None' || svc.spec?.type === 'ExternalName') continue;
    if (clusterIP.includes(':')) continue; // IPv4 only
    const ports = servicePorts(svc);
    if (ports.length === 0) continue;
    const clientIP = svc.spec?.sessionAffinity === 'ClientIP';
    models.push({
      namespace, name, clusterIP, ports,
      sessionAffinity: clientIP ? 'ClientIP' : 'None',
      affinityTimeoutSeconds: svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT_SECONDS,
      endpoints: endpointsOf(slicesBySvc.get(`${namespace}/${name}`) ?? [], ports),
      ...trafficFields(svc),
    });
  }
  return { services: models, nodeIPs: [...nodeIPs], clusterCIDR, nodeName };
}
