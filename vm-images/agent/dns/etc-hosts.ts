// The kubelet-managed /etc/hosts of a pod (kubelet_pods.go managedHostsFileContent and
// nodeHostsFileContent): the localhost lines, the pod's IP with its FQDN and hostname, and the
// spec.hostAliases; a host-network pod gets the node's /etc/hosts plus its aliases. Written to
// <podsDir>/<uid>/etc-hosts (removed with the pod's directory) and bind-mounted into each container
// that does not mount /etc/hosts itself, instead of the runtime's copy of the node's file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, HostAlias, Pod } from 'kubernetes-types/core/v1';
import { DEFAULT_CLUSTER_DOMAIN } from './defaults';
import { podNames } from './pod-names';

export const ETC_HOSTS = '/etc/hosts';

function aliasLines(aliases: HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
}

export function managedHostsContent(podIPs: string[], hostname: string, domain: string, aliases?: HostAlias[]): string {
  let s = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  for (const ip of podIPs) s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + aliasLines(aliases);
}

export function nodeHostsContent(nodeHosts: string, aliases?: HostAlias[]): string {
  return `# Kubernetes-managed hosts file (host network).\n${nodeHosts}${aliasLines(aliases)}`;
}

export interface EtcHostsOptions {
  /** The kubelet's pods directory; unset: no managed file (the runtime's copy of the node's stays). */
  podsDir?: string;
  clusterDomain?: string;
  /** The node's hosts file (for host-network pods). */
  nodeHostsFile?: string;
}

type HostsMount = { container_path: string; host_path: string; readonly: boolean };

/** Writes the pod's hosts file (atomically) and returns the mount for `c`, or none when it mounts /etc/hosts itself or the pod has no IP yet. */
export function etcHostsMount(pod: Pod, c: Container, podIP: string, o: EtcHostsOptions): HostsMount[] {
  if (!o.podsDir || !podIP || (c.volumeMounts ?? []).some((m) => m.mountPath === ETC_HOSTS)) return [];
  const uid = pod.metadata?.uid ?? '';
  const dir = join(o.podsDir, uid);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'etc-hosts');
  let content: string;
  if (pod.spec?.hostNetwork) {
    let node = '';
    try { node = readFileSync(o.nodeHostsFile ?? ETC_HOSTS, 'utf8'); } catch { /* none */ }
    content = nodeHostsContent(node, pod.spec.hostAliases);
  } else {
    const n = podNames(pod, o.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
    content = managedHostsContent([podIP], n.hostname, n.domain, pod.spec?.hostAliases);
  }
  writeFileSync(`${file}.tmp`, content, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  return [{ container_path: ETC_HOSTS, host_path: file, readonly: false }];
}
