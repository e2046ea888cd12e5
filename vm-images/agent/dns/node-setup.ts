// Makes the cluster DNS address answer on this node itself, as NodeLocal DNSCache does: the address
// (10.96.0.10) goes on the node's loopback device, so pods' queries routed to the node are delivered
// locally, and NOTRACK rules in the raw table keep those packets out of conntrack, so the proxier's
// service rules (DNAT in nat, REJECT of an endpoint-less service for NEW connections in filter) never
// see them. Idempotent; left in place on stop, like the proxier's rules. The rules in place are read from
// one iptables-save of the raw table and the missing ones inserted with one iptables-restore: three processes
// on a new node, where checking and inserting each rule took thirteen (while the node starts, every process
// is CPU taken from containerd's and the pods' start).
import { run, type Exec } from '../proxy/exec';
import { parseSave, savedRuleLine, topInsertLine } from '../proxy/saved-chains';

export interface NotrackRule { chain: 'PREROUTING' | 'OUTPUT'; args: string[] }

const COMMENT = 'flotilla cluster DNS on this node';

/** The rules, their matches as iptables-save prints them (`-m udp` after `-p udp`), so that a saved rule is found as is. */
export function notrackRules(ip: string): NotrackRule[] {
  const out: NotrackRule[] = [];
  for (const proto of ['udp', 'tcp']) {
    out.push({ chain: 'PREROUTING', args: ['-d', `${ip}/32`, '-p', proto, '-m', proto, '--dport', '53'] });
    out.push({ chain: 'OUTPUT', args: ['-d', `${ip}/32`, '-p', proto, '-m', proto, '--dport', '53'] });
    out.push({ chain: 'OUTPUT', args: ['-s', `${ip}/32`, '-p', proto, '-m', proto, '--sport', '53'] });
  }
  return out.map((r) => ({ ...r, args: [...r.args, '-m', 'comment', '--comment', COMMENT, '-j', 'NOTRACK'] }));
}

/** The line iptables-save prints for the rule (the comment quoted). */
export function savedLine(r: NotrackRule): string {
  return savedRuleLine(r.chain, r.args);
}

/**
 * The rules not in the raw table. Without any rule of ours in the save (a new node), all of them; else those the save
 * does not show as we write them are asked with `iptables -C` (another iptables may print a rule otherwise), so a
 * rule is never inserted twice.
 */
export async function missingNotrackRules(exec: Exec, ip: string): Promise<NotrackRule[]> {
  const saved = parseSave(await run(exec, ['iptables-save', '-t', 'raw'])).get('raw')?.rules ?? new Map<string, number>();
  const unseen = notrackRules(ip).filter((r) => !saved.has(savedLine(r)));
  if (![...saved.keys()].some((l) => l.includes(COMMENT))) return unseen;
  const missing: NotrackRule[] = [];
  for (const r of unseen) {
    const check = await exec(['iptables', '-w', '5', '-t', 'raw', '-C', r.chain, ...r.args]);
    if (check.code === 1) missing.push(r);
    else if (check.code !== 0) throw new Error(`iptables -t raw -C ${r.chain} failed (${check.code}): ${check.stderr.trim()}`);
  }
  return missing;
}

/** Puts `ip` on the loopback device and the NOTRACK rules in place (the missing ones inserted at the top of their chains). */
export async function setUpDnsAddress(exec: Exec, ip: string): Promise<void> {
  await run(exec, ['ip', 'addr', 'replace', `${ip}/32`, 'dev', 'lo']);
  const missing = await missingNotrackRules(exec, ip);
  if (missing.length === 0) return;
  const lines = missing.map((r) => topInsertLine(r.chain, r.args));
  await run(exec, ['iptables-restore', '--noflush', '-w', '5'], `*raw\n${lines.join('\n')}\nCOMMIT\n`);
}
