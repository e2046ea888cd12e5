// networking.k8s.io/v1: Ingresses (NAME CLASS HOSTS ADDRESS PORTS AGE) and IngressClasses (NAME CONTROLLER
// PARAMETERS AGE), as printIngress and printIngressClass print them.
import type { Ingress, IngressClass, IngressRule } from '../../api/types';
import { ageColumn, nameColumn } from './columns';
import { defineTable } from './define';
import { loadBalancerAddresses } from './services';

const MAX_HOSTS = 3;

/** formatHosts: up to three hosts, then "+ N more..."; `*` when no rule names a host. */
export function ingressHosts(rules: readonly IngressRule[] | undefined): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === MAX_HOSTS) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${(rules?.length ?? 0) - MAX_HOSTS} more...` : list.join(',');
}

export const ingressTable = defineTable<Ingress>({
  columns: [
    nameColumn,
    { name: 'Class', type: 'string', description: 'The name of the IngressClass resource that should be used for additional configuration', cell: (i) => i.spec?.ingressClassName ?? '<none>' },
    { name: 'Hosts', type: 'string', description: 'Hosts that incoming requests are matched against before the ingress rule', cell: (i) => ingressHosts(i.spec?.rules) },
    { name: 'Address', type: 'string', description: 'Address is a list containing ingress points for the load-balancer', cell: (i) => loadBalancerAddresses(i.status?.loadBalancer?.ingress, true) },
    { name: 'Ports', type: 'string', description: 'Ports of TLS configurations that open', cell: (i) => ((i.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80') },
    ageColumn,
  ],
});

/** PARAMETERS: `Kind[.apiGroup]/name`, or <none>. */
function parameters(c: Partial<IngressClass>): string {
  const p = c.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup !== undefined ? `.${p.apiGroup}` : ''}/${p.name}`;
}

export const ingressClassTable = defineTable<IngressClass>({
  columns: [
    nameColumn,
    { name: 'Controller', type: 'string', description: 'Controller that is responsible for handling this class', cell: (c) => c.spec?.controller ?? '' },
    { name: 'Parameters', type: 'string', description: 'A reference to a resource with additional parameters', cell: parameters },
    ageColumn,
  ],
});
