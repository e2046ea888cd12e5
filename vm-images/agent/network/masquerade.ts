// Egress masquerade for pods (the CNI bridge runs with ipMasq false): traffic from this node's
// pods to anything outside the cluster's pod network leaves with the node's address. One chain,
// one jump from POSTROUTING, nothing else touched.
import { run, type Exec } from '../proxy/exec';

export const EGRESS_CHAIN = 'FLOTILLA-EGRESS';

function jumpArgs(): string[] {
  return ['-m', 'comment', '--comment', 'flotilla pod egress masquerade', '-j', EGRESS_CHAIN];
}

export async function ensurePodEgressMasquerade(exec: Exec, podCIDR: string, clusterCIDR: string): Promise<void> {
  await run(exec, ['iptables-restore', '--noflush', '-w', '5'], [
    '*nat',
    `:${EGRESS_CHAIN} - [0:0]`,
    `-A ${EGRESS_CHAIN} -s ${podCIDR} -d ${clusterCIDR} -j RETURN`,
    `-A ${EGRESS_CHAIN} -s ${podCIDR} -m addrtype ! --dst-type LOCAL -j MASQUERADE`,
    'COMMIT',
    '',
  ].join('\n'));
  const check = await exec(['iptables', '-w', '5', '-t', 'nat', '-C', 'POSTROUTING', ...jumpArgs()]);
  if (check.code !== 0) await run(exec, ['iptables', '-w', '5', '-t', 'nat', '-A', 'POSTROUTING', ...jumpArgs()]);
}

export async function removePodEgressMasquerade(exec: Exec): Promise<void> {
  while ((await exec(['iptables', '-w', '5', '-t', 'nat', '-D', 'POSTROUTING', ...jumpArgs()])).code === 0) { /* all copies */ }
  const chains = await exec(['iptables', '-w', '5', '-t', 'nat', '-S', EGRESS_CHAIN]);
  if (chains.code === 0) await run(exec, ['iptables-restore', '--noflush', '-w', '5'], `*nat\n:${EGRESS_CHAIN} - [0:0]\n-X ${EGRESS_CHAIN}\nCOMMIT\n`);
}
