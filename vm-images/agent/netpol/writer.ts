// Writes the NetworkPolicy chains (rules.ts) into a node's filter table with `iptables-restore
// --noflush`, touching nothing but its own: FLOTILLA-NETPOL, the FLOTILLA-NP{I,E,B}-* chains, and one
// jump to FLOTILLA-NETPOL at the top of FORWARD (routed and, with br_netfilter, bridged pod traffic)
// and of INPUT (pods' traffic to the node itself: the node-local DNS on 10.96.0.10, the API
// forwarder). Node → pod traffic leaves through OUTPUT and is never filtered; its replies are
// ESTABLISHED. Every change is one transaction; chains no longer wanted are flushed and deleted in
// it. A full apply reads the table first (leftovers of an earlier run, jumps moved down by
// others); otherwise what was written last is trusted and an unchanged rule set writes nothing.
import { renderRestore } from '../proxy/restore-text';
import { run, type Exec } from '../proxy/exec';
import type { Chain, ChainRef, RuleLine } from '../proxy/rules';
import { NETPOL_CHAIN } from './rules';

export const NETPOL_HOOKS = ['FORWARD', 'INPUT'] as const;
export const NETPOL_JUMP_COMMENT = 'flotilla network policies';

/** Our chains: the top chain and the per-pod and helper chains (rules.ts names them). */
export function isNetpolChain(name: string): boolean {
  return name === NETPOL_CHAIN || /^FLOTILLA-NP[IEB]-[A-Z2-7]{12}$/.test(name);
}

/** The jump as iptables-save prints it (the comment quoted). */
export function jumpLine(hook: string): string {
  return `-A ${hook} -m comment --comment "${NETPOL_JUMP_COMMENT}" -j ${NETPOL_CHAIN}`;
}

/** What a full apply needs from `iptables-save -t filter`: our chains, and each hook's rules in order. */
export interface FilterState { ours: Set<string>; hookRules: Map<string, string[]> }

export function parseFilterSave(text: string): FilterState {
  const ours = new Set<string>();
  const hookRules = new Map<string, string[]>(NETPOL_HOOKS.map((h) => [h, []]));
  let inFilter = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) inFilter = line === '*filter';
    if (!inFilter) continue;
    if (line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0] ?? '';
      if (isNetpolChain(name)) ours.add(name);
    } else if (line.startsWith('-A ')) {
      hookRules.get(line.split(' ')[1] ?? '')?.push(line);
    }
  }
  return { ours, hookRules };
}

/**
 * Restore input taking the table from `state` to `desired` (no chains: remove everything of ours).
 * With chains, each hook's jump ends up first and once; without, every copy of it goes. `rewrite`
 * false: the chains hold what they should, only stale chains and misplaced jumps are fixed.
 */
export function planRestore(desired: Chain[], state: FilterState, rewrite = true): string {
  const wanted = new Set(desired.map((c) => c.name));
  const deletions: ChainRef[] = [...state.ours].filter((n) => !wanted.has(n)).sort().map((name) => ({ table: 'filter', name }));
  const extra: RuleLine[] = [];
  for (const hook of NETPOL_HOOKS) {
    const rules = state.hookRules.get(hook) ?? [];
    const line = jumpLine(hook);
    const copies = rules.filter((r) => r === line).length;
    const inPlace = desired.length > 0 && copies === 1 && rules[0] === line;
    if (inPlace) continue;
    for (let i = 0; i < copies; i++) extra.push({ table: 'filter', line: line.replace(/^-A /, '-D ') });
    if (desired.length) extra.push({ table: 'filter', line: line.replace(/^-A (\S+) /, '-I $1 1 ') });
  }
  return renderRestore(rewrite ? desired : [], deletions, extra);
}

export class NetpolWriter {
  /** The chains written last (trusted until the next full apply); null: unknown, read the table. */
  private written: Set<string> | null = null;
  private lastText = '';

  constructor(private readonly exec: Exec) {}

  /** Brings the table to `desired`; `full` reads it first. Returns the restore input ('' when nothing changed). */
  async apply(desired: Chain[], full: boolean): Promise<string> {
    const desiredText = renderRestore(desired);
    if (!full && this.written && desiredText === this.lastText) return '';
    const written = this.written;
    const state = full || !written ? parseFilterSave(await run(this.exec, ['iptables-save', '-t', 'filter'])) : this.assumedState();
    // A periodic full sync with nothing new: our chains are all there, so only jumps and strays are fixed.
    const intact = !!written && desiredText === this.lastText && [...written].every((n) => state.ours.has(n));
    const text = planRestore(desired, state, !intact);
    try {
      if (text) await run(this.exec, ['iptables-restore', '--noflush', '-w', '5'], text);
    } catch (err) {
      this.written = null;
      throw err;
    }
    this.written = new Set(desired.map((c) => c.name));
    this.lastText = desiredText;
    return text;
  }

  /** Removes every chain and jump of ours. */
  async cleanup(): Promise<void> {
    this.written = null;
    await this.apply([], true);
  }

  /** The table as our last write left it: our chains, and the jumps in place iff there were chains. */
  private assumedState(): FilterState {
    const ours = this.written ?? new Set<string>();
    const jumped = ours.size > 0;
    return { ours, hookRules: new Map(NETPOL_HOOKS.map((h) => [h, jumped ? [jumpLine(h)] : []])) };
  }
}
