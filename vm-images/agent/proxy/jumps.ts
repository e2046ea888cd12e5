// The jumps from built-in chains into ours. iptables-restore --noflush cannot own a rule inside a
// built-in chain without owning the whole chain, so these are found missing once (from a fresh
// iptables-save, `iptables -C` only when the save cannot tell) and inserted (-I) with the sync.
import type { Exec } from './exec';
import { savedRuleLine, topInsertLine, type SavedTables } from './saved-chains';
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_POSTROUTING, KUBE_SERVICES, type RuleLine, type Table,
} from './rules';

export interface Jump { table: Table; from: string; to: string; args: string[] }

function jump(table: Table, from: string, to: string, commentText: string, extra: string[] = []): Jump {
  const c = commentText ? ['-m', 'comment', '--comment', commentText] : [];
  return { table, from, to, args: [...extra, ...c, '-j', to] };
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
  return savedRuleLine(j.from, j.args);
}

/**
 * The jumps missing from the tables, judged from `saved` (a fresh iptables-save): a jump printed
 * there exists; a jump to a chain that does not exist cannot; only the rest are checked with
 * `iptables -C` (each reloads the whole table, which is slow once it holds thousands of rules).
 */
export async function missingJumps(exec: Exec, saved: SavedTables, jumps: readonly Jump[] = JUMPS): Promise<Jump[]> {
  const unknown = jumps.filter((j) => !saved.get(j.table)?.rules.has(savedForm(j)));
  const checked = await Promise.all(unknown.map(async (j) => (saved.get(j.table)?.chains.has(j.to) && (await exists(exec, j)) ? null : j)));
  return checked.filter((j): j is Jump => j !== null);
}

/** Restore lines inserting each jump at the top of its built-in chain (undeclared built-ins are not flushed). */
export function insertLines(jumps: readonly Jump[]): RuleLine[] {
  return jumps.map((j) => ({ table: j.table, line: topInsertLine(j.from, j.args) }));
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
