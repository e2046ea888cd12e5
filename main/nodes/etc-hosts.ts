// The name nodes and pods reach the host by, and its line in a VM's /etc/hosts, so that containerd on the node (which
// resolves through the node's own resolver, not the cluster DNS the agent answers pods with) pulls
// `host.flotilla.internal:<port>/…` too. Sandbox nodes get their own /etc/hosts at boot (providers/sandbox/node.ts).
import { isIPv4 } from 'node:net';

export const HOST_NAME = 'host.flotilla.internal';

const sq = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Shell that makes `file` name the host at address: nothing when the line is there already, else any older line for the
 * name replaced (cloud-init and Lima's boot scripts rewrite the file, a VM's host address may change) and the line added.
 */
export function etcHostsCmd(address: string, file = '/etc/hosts'): string {
  if (!isIPv4(address)) throw new Error(`the host address ${address} is not an IPv4 address`);
  const line = `${address}\t${HOST_NAME}`;
  return `grep -qxF ${sq(line)} ${sq(file)} || { sed -i '/[[:space:]]host\\.flotilla\\.internal[[:space:]]*$/d' ${sq(file)} && printf '%s\\n' ${sq(line)} >> ${sq(file)}; }`;
}
