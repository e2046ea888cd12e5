// Kernel settings a node needs for pods and services, written through the node's exec runner so
// they land in the node's network namespace (/proc/sys/net is per namespace).
import { existsSync } from 'node:fs';
import { run, type Exec } from '../proxy/exec';

export const NODE_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': '1',
  // Bridged (same-node pod→pod) replies must pass iptables to be un-DNATed (needs br_netfilter).
  'net.bridge.bridge-nf-call-iptables': '1',
  // NodePorts on 127.0.0.1: DNAT of loopback-sourced packets to pod IPs.
  'net.ipv4.conf.all.route_localnet': '1',
};

/**
 * br_netfilter is there: loaded (in /sys/module, which every namespace sees) or built into the kernel (not always in
 * /sys/module then, but its bridge-nf-call-* settings are in every network namespace's /proc/sys/net/bridge).
 */
export function hasBrNetfilter(): boolean {
  return existsSync('/sys/module/br_netfilter') || existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables');
}

/** Loads br_netfilter unless it is there (best effort: modprobe may find no module) and sets NODE_SYSCTLS. */
export async function applyNodeSysctls(exec: Exec): Promise<void> {
  if (!hasBrNetfilter()) await exec(['modprobe', 'br_netfilter']);
  await run(exec, ['sysctl', '-q', '-w', ...Object.entries(NODE_SYSCTLS).map(([k, v]) => `${k}=${v}`)]);
}

/** Current values of NODE_SYSCTLS (for status and tests). */
export async function readNodeSysctls(exec: Exec): Promise<Record<string, string>> {
  const out = await run(exec, ['sysctl', '-n', ...Object.keys(NODE_SYSCTLS)]);
  const values = out.trim().split('\n');
  return Object.fromEntries(Object.keys(NODE_SYSCTLS).map((k, i) => [k, (values[i] ?? '').trim()]));
}
