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
 * Loads br_netfilter (best effort: it may be built in, or loaded by the host; a module loaded is in /sys/module, which
 * every namespace sees, and no modprobe is run then) and sets NODE_SYSCTLS.
 */
export async function applyNodeSysctls(exec: Exec): Promise<void> {
  if (!existsSync('/sys/module/br_netfilter')) await exec(['modprobe', 'br_netfilter']);
  await run(exec, ['sysctl', '-q', '-w', ...Object.entries(NODE_SYSCTLS).map(([k, v]) => `${k}=${v}`)]);
}

/** Current values of NODE_SYSCTLS (for status and tests). */
export async function readNodeSysctls(exec: Exec): Promise<Record<string, string>> {
  const out = await run(exec, ['sysctl', '-n', ...Object.keys(NODE_SYSCTLS)]);
  const values = out.trim().split('\n');
  return Object.fromEntries(Object.keys(NODE_SYSCTLS).map((k, i) => [k, (values[i] ?? '').trim()]));
}
