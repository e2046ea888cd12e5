// Network cuts of one sandbox node, for the one-click failures: iptables DROP rules inside the node's network namespace,
// in chains of their own (one per cut) jumped to first from INPUT, OUTPUT and FORWARD. Removing the chains heals the
// cut; the node's namespace going away (the node deleted or killed) takes them with it.
import { runCmd } from '../../exec';
import { DEFAULT_CLUSTER_CIDR } from '../../../api/cluster-cidr';
import { gatewayIP, type SandboxConfig } from './config';
import type { SandboxNodeState } from './node-state';

export type NetworkCut = 'control-plane' | 'nodes';

const CHAINS: Readonly<Record<NetworkCut, string>> = { 'control-plane': 'FLOTILLA-CUT-CP', nodes: 'FLOTILLA-CUT-NODES' };
const HOOKS = ['INPUT', 'OUTPUT', 'FORWARD'] as const;

/** The node's own addresses, for a cut from the other nodes (its pods keep talking to it and to each other). */
export interface NodeAddresses {
  /** The node's podCIDR, when it has one. */
  podCIDR?: string;
  /** The cluster's pod network (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

/** The rules of a cut's chain (iptables arguments after `-A <chain>`). */
export function cutRules(cut: NetworkCut, c: SandboxConfig, s: SandboxNodeState, a: NodeAddresses = {}): string[][] {
  const gw = gatewayIP(c);
  if (cut === 'control-plane') return [['-s', gw, '-j', 'DROP'], ['-d', gw, '-j', 'DROP']];
  const own = a.podCIDR;
  return [
    ['-i', 'lo', '-j', 'RETURN'], ['-o', 'lo', '-j', 'RETURN'],
    // The host (the control plane's side) stays reachable: that is the other cut.
    ['-s', gw, '-j', 'RETURN'], ['-d', gw, '-j', 'RETURN'],
    ...(own ? [['-s', own, '-d', s.ip, '-j', 'RETURN'], ['-s', s.ip, '-d', own, '-j', 'RETURN'], ['-s', own, '-d', own, '-j', 'RETURN']] : []),
    ['-s', c.subnet, '-j', 'DROP'], ['-d', c.subnet, '-j', 'DROP'],
    ['-s', a.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, '-d', a.clusterCIDR ?? DEFAULT_CLUSTER_CIDR, '-j', 'DROP'],
  ];
}

async function iptables(s: SandboxNodeState, args: string[]): Promise<{ code: number; stderr: string }> {
  return runCmd(['nsenter', `--net=/run/netns/${s.netns}`, 'iptables', '-w', '5', ...args]);
}

async function must(s: SandboxNodeState, args: string[]): Promise<void> {
  const r = await iptables(s, args);
  if (r.code !== 0) throw new Error(`iptables ${args.join(' ')} in node ${s.name}: ${r.stderr.trim()}`);
}

/** Is the cut in force (its chain exists in the node's namespace)? */
export async function isCut(s: SandboxNodeState, cut: NetworkCut): Promise<boolean> {
  return (await iptables(s, ['-n', '-L', CHAINS[cut]])).code === 0;
}

/** Cuts the node's network (idempotent: the chain is rebuilt, the jumps made once). */
export async function cutNetwork(c: SandboxConfig, s: SandboxNodeState, cut: NetworkCut, a: NodeAddresses = {}): Promise<void> {
  const chain = CHAINS[cut];
  if (!(await isCut(s, cut))) await must(s, ['-N', chain]);
  await must(s, ['-F', chain]);
  for (const rule of cutRules(cut, c, s, a)) await must(s, ['-A', chain, ...rule]);
  for (const hook of HOOKS) {
    if ((await iptables(s, ['-C', hook, '-j', chain])).code !== 0) await must(s, ['-I', hook, '1', '-j', chain]);
  }
}

/** Removes the cut's jumps and chain; nothing to do when it is not in force (or the node's namespace is gone). */
export async function healNetwork(s: SandboxNodeState, cut: NetworkCut): Promise<void> {
  const chain = CHAINS[cut];
  if (!(await isCut(s, cut))) return;
  for (const hook of HOOKS) {
    while ((await iptables(s, ['-D', hook, '-j', chain])).code === 0) { /* every jump, should there be several */ }
  }
  await must(s, ['-F', chain]);
  await must(s, ['-X', chain]);
}
