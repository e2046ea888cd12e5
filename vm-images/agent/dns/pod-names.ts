// A pod's hostname and domain as the kubelet generates them (GeneratePodHostNameAndDomain): the
// pod's name, or spec.hostname, cut to 63 characters without a trailing '-' or '.'; the domain
// <subdomain>.<ns>.svc.<zone> when spec.subdomain is set; setHostnameAsFQDN makes the hostname the
// full name (at most 64 characters, the kernel's limit).
import type { Pod } from 'kubernetes-types/core/v1';

export interface PodNames { hostname: string; domain: string }

export function podNames(pod: Pod, clusterDomain: string): PodNames {
  let hostname = pod.spec?.hostname || (pod.metadata?.name ?? '');
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const sub = pod.spec?.subdomain;
  return { hostname, domain: sub ? `${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` : '' };
}

/** The CRI sandbox hostname (the UTS hostname in the pod); empty for a host-network pod, which keeps the node's. */
export function sandboxHostname(pod: Pod, clusterDomain: string): string {
  if (pod.spec?.hostNetwork) return '';
  const n = podNames(pod, clusterDomain);
  if (pod.spec?.setHostnameAsFQDN && n.domain) {
    const fqdn = `${n.hostname}.${n.domain}`;
    if (fqdn.length > 64) throw new Error(`failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`);
    return fqdn;
  }
  return n.hostname;
}
