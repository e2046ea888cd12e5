// Sysctl names as Kubernetes reads them (k8s.io/component-helpers/node/util/sysctl): the kernel namespace a sysctl
// belongs to, and names written with slashes (net/ipv4/ip_local_port_range) normalized to dots. Shared by the API's
// validation and the kubelet's sysctl admission in the agent.

export type SysctlNamespace = 'ipc' | 'net';

/**
 * The safe sysctls of 1.30: the kubelet's (safe_sysctls.go) and Pod Security's baseline (its 1.29 set, which 1.30
 * keeps) alike — namespaced, and isolated from the node and other pods.
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** NormalizeName: a name whose first separator is '/' has its '/' and '.' swapped (a/b.c/d → a.b/c.d). */
export function normalizeSysctlName(name: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === '.') return name;
  return name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

const EXACT: Readonly<Record<string, SysctlNamespace>> = { 'kernel.sem': 'ipc' };
const PREFIXES: ReadonlyArray<[string, SysctlNamespace]> = [['kernel.shm', 'ipc'], ['kernel.msg', 'ipc'], ['fs.mqueue.', 'ipc'], ['net.', 'net']];

/** GetNamespace: the namespace a (normalized) sysctl is set in, or undefined when it is not namespaced. */
export function sysctlNamespace(name: string): SysctlNamespace | undefined {
  const n = normalizeSysctlName(name);
  return EXACT[n] ?? PREFIXES.find(([prefix]) => n.startsWith(prefix))?.[1];
}
