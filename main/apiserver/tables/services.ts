// Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR].
import type { Service } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { formatLabels } from './selector';

const LOAD_BALANCER_WIDTH = 16;

/** The load balancer's addresses, sorted, each once (loadBalancerStatusStringer; Ingresses' ADDRESS too), clipped unless wide. */
export function loadBalancerAddresses(entries: ReadonlyArray<{ ip?: string; hostname?: string }> | undefined, isWide: boolean): string {
  const set = new Set<string>();
  for (const ing of entries ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!isWide && r.length > LOAD_BALANCER_WIDTH) r = `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return r;
}

/** The EXTERNAL-IP cell (getServiceExternalIP). The server always renders tables wide. */
export function serviceExternalIP(svc: Partial<Service>, type: string, isWide = true): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress, isWide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `80/TCP,443:30443/TCP`. */
export function servicePorts(svc: Partial<Service>): string {
  const text = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  return text || '<none>';
}

/** An unset type is what defaulting turns into ClusterIP. */
const typeOf = (svc: Partial<Service>): string => svc.spec?.type || 'ClusterIP';

export const serviceTable = defineTable<Service>({
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'type determines how the Service is exposed. Defaults to ClusterIP.', cell: typeOf },
    { name: 'Cluster-IP', type: 'string', description: 'clusterIP is the IP address of the service and is usually assigned randomly.', cell: (svc) => svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>' },
    { name: 'External-IP', type: 'string', description: 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.', cell: (svc) => serviceExternalIP(svc, typeOf(svc)) },
    { name: 'Port(s)', type: 'string', description: 'The list of ports that are exposed by this service.', cell: servicePorts },
    ageColumn,
    { name: 'Selector', type: 'string', priority: 1, description: 'Route service traffic to pods with label keys and values matching this selector.', cell: (svc) => formatLabels(svc.spec?.selector) },
  ],
});
