// Sysctl names as Kubernetes reads them (k8s.io/component-helpers/node/util/sysctl): the kernel namespace a sysctl
// belongs to, and names written with slashes (net/ipv4/ip_local_port_range) normalized to dots. Shared by the API's
// validation and the kubelet's sysctl admission in the agent.

export type SysctlNamespace = 'ipc' | 'net';

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
