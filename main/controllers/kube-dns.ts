// The cluster DNS Service: kube-system/kube-dns at 10.96.0.10 (dns UDP 53, dns-tcp TCP 53, label
// k8s-app=kube-dns), created once at startup as kubeadm's DNS addon does. It has no selector and no
// endpoints: every node's agent answers for its ClusterIP itself (vm-images/agent/dns), so pods'
// queries never leave their node. A user who deletes it gets it back at the next start.
import type { Service } from '../api/types';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';
import { newBootstrapObject } from './bootstrap-object';

export const KUBE_DNS_IP = '10.96.0.10';

export function kubeDnsService(): Service {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kube-dns', namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBE_DNS_IP,
      clusterIPs: [KUBE_DNS_IP],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
}

/** Creates kube-dns once the informers have synced (retrying until the API takes it). */
export function newKubeDnsBootstrap(ctx: ControllerContext): Controller {
  return newBootstrapObject(ctx, {
    name: 'kube-dns', ref: R.services, object: kubeDnsService,
    exists: () => Boolean(ctx.informers.services.get('kube-system/kube-dns')),
    created: `created kube-system/kube-dns at ${KUBE_DNS_IP}`,
  });
}
