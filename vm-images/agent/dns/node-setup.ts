// Makes the cluster DNS address answer on this node itself, as NodeLocal DNSCache does: the address
// (10.96.0.10) goes on the node's loopback device, so pods' queries routed to the node are delivered
// locally, and NOTRACK rules in the raw table keep those packets out of conntrack, so the proxier's
// service rules (DNAT in nat, REJECT of an endpoint-less service for NEW connections in filter) never
// see them. Idempotent; left in place on stop, like the proxier's rules.
import { run, type Exec } from '../proxy/exec';

export interface NotrackRule { chain: 'PREROUTING' | 'OUTPUT'; args: string[] }

export function notrackRules(ip: string): NotrackRule[] {
  const out: NotrackRule[] = [];
  for (const proto of ['udp', 'tcp']) {
    out.push({ chain: 'PREROUTING', args: ['-d', `${ip}/32`, '-p', proto, '--dport', '53'] });
    out.push({ chain: 'OUTPUT', args: ['-d', `${ip}/32`, '-p', proto, '--dport', '53'] });
    out.push({ chain: 'OUTPUT', args: ['-s', `${ip}/32`, '-p', proto, '--sport', '53'] });
  }
  return out.map((r) => ({ ...r, args: [...r.args, '-m', 'comment', '--comment', 'flotilla cluster DNS on this node', '-j', 'NOTRACK'] }));
}

/** Puts `ip` on the loopback device and the NOTRACK rules in place (each checked first, inserted when missing). */
export async function setUpDnsAddress(exec: Exec, ip: string): Promise<void> {
  await run(exec, ['ip', 'addr', 'replace', `${ip}/32`, 'dev', 'lo']);
  for (const r of notrackRules(ip)) {
    const check = await exec(['iptables', '-w', '5', '-t', 'raw', '-C', r.chain, ...r.args]);
    if (check.code === 0) continue;
    await run(exec, ['iptables', '-w', '5', '-t', 'raw', '-I', r.chain, '1', ...r.args]);
  }
}
