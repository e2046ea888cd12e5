// Services: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE [SELECTOR].
import type { KObject, Service } from '../../api/types';
import { ageColumn, column, nameColumn, wide } from './columns';
import { translateTimestampSince } from './duration';
import { formatLabels } from './selector';
import { view } from './view';
import type { KindPrinter, TableCell } from './types';

const LOAD_BALANCER_WIDTH = 16;

function loadBalancerIPs(svc: Service, isWide: boolean): string {
  const set = new Set<string>();
  for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
    if (ing.ip) set.add(ing.ip);
    else if (ing.hostname) set.add(ing.hostname);
  }
  let r = [...set].sort().join(',');
  if (!isWide && r.length > LOAD_BALANCER_WIDTH) r = `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...`;
  return r;
}

/** The EXTERNAL-IP cell (getServiceExternalIP). The server always renders tables wide. */
export function serviceExternalIP(svc: Service, type: string, isWide = true): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc, isWide);
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
export function servicePorts(svc: Service): string {
  const text = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`))
    .join(',');
  return text || '<none>';
}

export const servicePrinter: KindPrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    wide('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.'),
  ],
  cells(obj: KObject, now: Date): TableCell[] {
    const svc = view<Service>(obj);
    // An unset type is what defaulting turns into ClusterIP.
    const type = svc.spec?.type || 'ClusterIP';
    const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || '<none>';
    return [
      svc.metadata?.name ?? '',
      type,
      clusterIP,
      serviceExternalIP(svc, type),
      servicePorts(svc),
      translateTimestampSince(svc.metadata?.creationTimestamp, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};
