// The jumps from built-in chains into ours. iptables-restore --noflush cannot own a rule inside a
// built-in chain without owning the whole chain, so these are checked (-C) and inserted (-I) once.
import type { Exec } from './exec';
import type { SavedTables } from './saved-chains';
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_POSTROUTING, KUBE_SERVICES, type Table,
} from './rules';

export interface Jump { table: Table; from: string; args: string[] }

function jump(table: Table, from: string, to: string, commentText: string, extra: string[] = []): Jump {
  const c = commentText ? ['-m', 'comment', '--comment', commentText] : [];
  return { table, from, args: [...extra, ...c, '-j', to] };
}

const NEW = ['-m', 'conntrack', '--ctstate', 'NEW'];

export const JUMPS: readonly Jump[] = [
  jump('filter', 'INPUT', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', NEW),
  jump('filter', 'FORWARD', KUBE_EXTERNAL_SERVICES, 'kubernetes externally-visible service portals', NEW),
  jump('filter', 'FORWARD', KUBE_SERVICES, 'kubernetes service portals', NEW),
  jump('filter', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals', NEW),
  jump('filter', 'FORWARD', KUBE_FORWARD, 'kubernetes forwarding rules'),
  jump('filter', 'INPUT', KUBE_FIREWALL, ''),
  jump('filter', 'OUTPUT', KUBE_FIREWALL, ''),
  jump('nat', 'OUTPUT', KUBE_SERVICES, 'kubernetes service portals'),
  jump('nat', 'PREROUTING', KUBE_SERVICES, 'kubernetes service portals'),
  jump('nat', 'POSTROUTING', KUBE_POSTROUTING, 'kubernetes postrouting rules'),
];

async function exists(exec: Exec, j: Jump): Promise<boolean> {
  const r = await exec(['iptables', '-w', '5', '-t', j.table, '-C', j.from, ...j.args]);
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new Error(`iptables -C ${j.from} failed (${r.code}): ${r.stderr.trim()}`);
}

/** The line iptables-save prints for a jump (comments quoted, match order kept). */
export function savedForm(j: Jump): string {
  const args = j.args.map((a, i) => (j.args[i - 1] === '--comment' ? `"${a}"` : a));
  return `-A ${j.from} ${args.join(' ')}`;
}

/**
 * Inserts each missing jump at the top of its built-in chain; returns how many were inserted.
 * With `saved` (a fresh iptables-save), jumps found there are not checked again: each `iptables -C`
 * reloads the whole table, which is slow once it holds thousands of rules.
 */
export async function ensureJumps(exec: Exec, jumps: readonly Jump[] = JUMPS, saved?: SavedTables): Promise<number> {
  const unknown = saved ? jumps.filter((j) => !saved.get(j.table)?.rules.has(savedForm(j))) : [...jumps];
  const missing = (await Promise.all(unknown.map(async (j) => ((await exists(exec, j)) ? null : j)))).filter((j): j is Jump => j !== null);
  if (missing.length === 0) return 0;
  // One iptables-restore for all inserts: built-in chains that are not declared are not flushed.
  const lines: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const js = missing.filter((j) => j.table === table);
    if (js.length) lines.push(`*${table}`, ...js.map((j) => savedForm(j).replace(/^-A (\S+) /, '-I $1 1 ')), 'COMMIT');
  }
  const r = await exec(['iptables-restore', '--noflush', '-w', '5'], `${lines.join('\n')}\n`);
  if (r.code !== 0) throw new Error(`inserting jumps failed: ${r.stderr.trim()}`);
  return missing.length;
}

/** Deletes every copy of each jump (missing ones and missing chains are fine). */
export async function removeJumps(exec: Exec, jumps: readonly Jump[] = JUMPS): Promise<void> {
  for (const j of jumps) {
    for (let i = 0; i < 8; i++) {
      const r = await exec(['iptables', '-w', '5', '-t', j.table, '-D', j.from, ...j.args]);
      if (r.code !== 0) break;
    }
  }
}
