// Pure: what one sync writes. Only chains whose content changed are rewritten (everything on a full
// sync), stale chains are deleted, and a large write is split into several transactions without
// ever exposing a half-done state: chains that are new (nothing refers to them yet) or rewritten
// with unchanged content go first, in commits of a bounded number of chains (iptables-nft's
// restore time grows with rules × chains per transaction); everything that changes what traffic
// sees — top-level chains, changed existing chains, deletions, jump inserts — is one last commit.
import { isServiceChain } from './names';
import { renderRestore } from './restore-text';
import type { Chain, ChainRef, RuleLine, RuleSet } from './rules';

/** A service's chains as last written (the very arrays a cached render returns again). */
export interface WrittenService { chains: readonly Chain[] }

/** What the last successful sync wrote. */
export interface WrittenState {
  services: Map<string, WrittenService>;
  /** Top-level chain (`table/name`) → its rules. */
  top: Map<string, string>;
}

export interface PlanInput {
  rules: RuleSet;
  written: WrittenState;
  full: boolean;
  /** Full syncs: the nat chains that exist now (iptables-save); they may hold anything. */
  savedNatChains?: Set<string>;
  /** Lines for the last commit (jump inserts). */
  extra?: RuleLine[];
  /** Most chains per early commit; writes of up to this many chains stay one transaction. */
  maxChainsPerCommit: number;
}

export interface SyncPlan {
  restoreInput: string;
  changedServices: string[];
  deletedChains: string[];
  written: WrittenState;
}

export const emptyWritten = (): WrittenState => ({ services: new Map(), top: new Map() });

const textCache = new WeakMap<readonly Chain[], string>();

/** A service's chains as one comparable string (remembered per chains array). */
function serviceText(chains: readonly Chain[]): string {
  let text = textCache.get(chains);
  if (text === undefined) {
    text = chains.map((c) => `${c.table}\n${c.rules.join('\n')}`).join('\n');
    textCache.set(chains, text);
  }
  return text;
}

/** Same rules: the same array (a cached render, the common case) or the same text. */
function sameRules(before: readonly Chain[] | undefined, now: readonly Chain[]): boolean {
  return before !== undefined && (before === now || serviceText(before) === serviceText(now));
}

/** Splits whole services into groups of at most `max` chains (a larger service is a group alone). */
function chunk(services: Chain[][], max: number): Chain[][] {
  const groups: Chain[][] = [];
  let current: Chain[] = [];
  for (const chains of services) {
    if (current.length > 0 && current.length + chains.length > max) {
      groups.push(current);
      current = [];
    }
    current.push(...chains);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export function planSync(input: PlanInput): SyncPlan {
  const { rules, written, full } = input;
  const previousChains = new Set<string>();
  for (const w of written.services.values()) for (const c of w.chains) previousChains.add(c.name);
  const exists = (name: string): boolean => (full ? input.savedNatChains?.has(name) ?? false : previousChains.has(name));

  const next = emptyWritten();
  const changedServices: string[] = [];
  const wanted = new Set<string>();
  const early: Chain[][] = [];
  const late: Chain[] = [];
  for (const [key, chains] of rules.services) {
    for (const c of chains) wanted.add(c.name);
    next.services.set(key, { chains });
    const unchanged = sameRules(written.services.get(key)?.chains, chains);
    if (unchanged && !full) continue;
    changedServices.push(key);
    if (unchanged || chains.every((c) => !exists(c.name))) early.push(chains);
    else late.push(...chains);
  }

  const top: Chain[] = [];
  for (const c of rules.top) {
    const text = c.rules.join('\n');
    next.top.set(`${c.table}/${c.name}`, text);
    if (full || written.top.get(`${c.table}/${c.name}`) !== text) top.push(c);
  }

  const stale = new Set<string>();
  for (const name of previousChains) if (!wanted.has(name)) stale.add(name);
  for (const name of input.savedNatChains ?? []) if (isServiceChain(name) && !wanted.has(name)) stale.add(name);
  const deletedChains = [...stale].sort();
  const deletions: ChainRef[] = deletedChains.map((name) => ({ table: 'nat', name }));
  const fixed = full ? rules.fixed : [];

  const earlyCount = early.reduce((n, cs) => n + cs.length, 0);
  let restoreInput: string;
  if (earlyCount <= input.maxChainsPerCommit) {
    // One transaction per table, as an unsplit sync always was; services in their usual order.
    const changed = new Set(changedServices);
    const services = [...rules.services.entries()].filter(([k]) => changed.has(k)).flatMap(([, cs]) => cs);
    restoreInput = renderRestore([...fixed, ...top, ...services], deletions, input.extra);
  } else {
    // The fixed chains' content never changes (rewriting them is a no-op for traffic): they go
    // first, so that the early commits can jump to KUBE-MARK-MASQ.
    const groups = chunk(early, input.maxChainsPerCommit);
    groups[0] = [...fixed, ...(groups[0] ?? [])];
    restoreInput = groups.map((g) => renderRestore(g)).join('') + renderRestore([...top, ...late], deletions, input.extra);
  }
  return { restoreInput, changedServices, deletedChains, written: next };
}
