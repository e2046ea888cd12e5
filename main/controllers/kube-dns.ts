// The cluster DNS Service: kube-system/kube-dns at 10.96.0.10 (dns UDP 53, dns-tcp TCP 53, label
// k8s-app=kube-dns), created once at startup as kubeadm's DNS addon does. It has no selector and no
// endpoints: every node's agent answers for its ClusterIP itself (vm-images/agent/dns), so pods'
// queries never leave their node. A user who deletes it gets it back at the next start.
import type { Service } from '../api/types';
import { isAlreadyExists } from '../client/types';
import { R } from '../client/refs';
import type { Controller, ControllerContext } from './controller';

export const KUBE_DNS_IP = '10.96.0.10';
const RETRY_MS = 1000;

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
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = (): void => {
    ctx.client.create(R.services, kubeDnsService(), { namespace: 'kube-system' }).then(
      () => ctx.log('kube-dns: created kube-system/kube-dns at 10.96.0.10'),
      (err: unknown) => {
        if (isAlreadyExists(err) || stopped) return;
        ctx.log(`kube-dns: ${err instanceof Error ? err.message : String(err)} (retrying)`);
        timer = setTimeout(attempt, RETRY_MS);
      },
    );
  };
  return {
    name: 'kube-dns',
    register: () => () => undefined,
    run: () => {
      if (!ctx.informers.services.get('kube-system/kube-dns')) attempt();
      return () => { stopped = true; if (timer) clearTimeout(timer); };
    },
  };
}
