// Chains → iptables-restore text (for `--noflush`): one COMMIT block per table, or several commits
// in sequence when a sync is split (iptables-restore applies each COMMIT as its own transaction).
import type { Chain, ChainRef, RuleLine } from './rules';

/**
 * iptables-restore input: every listed chain is declared (which flushes it) and refilled; `extra`
 * lines (e.g. `-D INPUT …`) follow; every deletion is declared (flushed) and then removed with -X
 * after all rules.
 */
export function renderRestore(chains: Chain[], deletions: ChainRef[] = [], extra: RuleLine[] = []): string {
  const out: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const cs = chains.filter((c) => c.table === table);
    const ds = deletions.filter((d) => d.table === table);
    const xs = extra.filter((x) => x.table === table);
    if (cs.length === 0 && ds.length === 0 && xs.length === 0) continue;
    out.push(`*${table}`);
    for (const c of cs) out.push(`:${c.name} - [0:0]`);
    for (const d of ds) out.push(`:${d.name} - [0:0]`);
    for (const c of cs) for (const r of c.rules) out.push(r);
    for (const x of xs) out.push(x.line);
    for (const d of ds) out.push(`-X ${d.name}`);
    out.push('COMMIT');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** How many transactions (COMMIT lines) a restore text holds. */
export function commitCount(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line === 'COMMIT') n++;
  return n;
}
