// Keeps a node's iptables in step with the proxy model: `iptables-restore --noflush`, incremental
// (only the chains of services that changed, and top-level chains whose content changed, are
// rewritten; stale chains are flushed and deleted explicitly), rate-limited, touching no chain but
// its own. What one sync writes is planned in sync-plan.ts.
import { BoundedRunner } from './bounded-runner';
import type { Exec } from './exec';
import { JUMPS, insertLines, missingJumps, removeJumps, savedForm, type Jump } from './jumps';
import type { ProxyModel } from './model';
import { isServiceChain } from './names';
import { RuleCache } from './rule-cache';
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING,
  KUBE_SERVICES, renderRestore, type Chain, type ChainRef, type RuleSet, type Table,
} from './rules';
import { saveTables } from './saved-chains';
import { emptyWritten, planSync, type WrittenState } from './sync-plan';

export interface ProxierOptions {
  exec: Exec;
  /** Minimum time between the starts of two syncs (bursts of updates coalesce). Default 1000 ms. */
  minSyncIntervalMs?: number;
  /** Most chains per transaction when a large sync is split (see sync-plan.ts). Default 128. */
  maxChainsPerCommit?: number;
  onSync?: (result: SyncResult) => void;
  onError?: (err: unknown) => void;
}

export interface SyncResult {
  full: boolean;
  /** Exactly what was fed to iptables-restore ('' when nothing needed writing). */
  restoreInput: string;
  /** Services (`namespace/name`) whose chains were (re)written. */
  changedServices: string[];
  deletedChains: string[];
  jumpsInserted: number;
  durationMs: number;
  /** Rules the proxier's chains hold after this sync, per table (kubeproxy_sync_proxy_rules_iptables_total). */
  rulesByTable: Record<Table, number>;
}

function countRules(rules: RuleSet): Record<Table, number> {
  const n: Record<Table, number> = { nat: 0, filter: 0 };
  const add = (chains: Chain[]): void => { for (const c of chains) n[c.table] += c.rules.length; };
  add(rules.fixed);
  add(rules.top);
  for (const chains of rules.services.values()) add(chains);
  return n;
}

export const DEFAULT_MAX_CHAINS_PER_COMMIT = 128;

const FIXED_CHAINS: Record<Table, readonly string[]> = {
  nat: [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ],
  filter: [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_FIREWALL],
};

export class Proxier {
  private model: ProxyModel | null = null;
  private written: WrittenState = emptyWritten();
  private readonly cache = new RuleCache();
  private needFull = true;
  private last: SyncResult | undefined;
  private readonly runner: BoundedRunner;

  constructor(private readonly opts: ProxierOptions) {
    this.runner = new BoundedRunner(() => this.sync(), opts.minSyncIntervalMs ?? 1000, (e) => this.opts.onError?.(e));
  }

  /** Sets the desired state; a sync follows within the rate limit. */
  update(model: ProxyModel): void {
    this.model = model;
    this.runner.request();
  }

  /** Forces the next sync to rewrite everything and re-check the jumps (e.g. after a periodic resync). */
  requestFullSync(): void {
    this.needFull = true;
    this.runner.request();
  }

  /** Syncs immediately (after a sync in progress) and returns what it did; null before the first model. */
  async syncNow(): Promise<SyncResult | null> {
    if (!this.model) return null;
    await this.runner.runNow();
    return this.last ?? null;
  }

  get lastSync(): SyncResult | undefined {
    return this.last;
  }

  /** Stops syncing (no rule changes). */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Stops syncing and removes every jump and chain of ours from the nat and filter tables. */
  async cleanup(): Promise<void> {
    await this.runner.stop();
    const saved = await saveTables(this.opts.exec);
    // Jumps seen in the save are deleted inside the one restore below; any other copy (a format we
    // did not recognise) is deleted with iptables -D first, so that -X cannot fail on a reference.
    const seen = JUMPS.filter((j) => saved.get(j.table)?.rules.has(savedForm(j)));
    await removeJumps(this.opts.exec, JUMPS.filter((j) => !seen.includes(j)));
    const deletions: ChainRef[] = [];
    for (const table of ['filter', 'nat'] as const) {
      for (const name of saved.get(table)?.chains ?? []) {
        if (FIXED_CHAINS[table].includes(name) || (table === 'nat' && isServiceChain(name))) deletions.push({ table, name });
      }
    }
    // Every copy goes (a jump inserted twice shows twice in the save).
    const extra = seen.flatMap((j) => {
      const line = savedForm(j);
      return Array.from({ length: saved.get(j.table)?.rules.get(line) ?? 1 }, () => ({ table: j.table, line: line.replace(/^-A /, '-D ') }));
    });
    const text = renderRestore([], deletions, extra);
    if (text) await this.restore(text);
    this.written = emptyWritten();
    this.needFull = true;
  }

  private async restore(text: string): Promise<void> {
    const r = await this.opts.exec(['iptables-restore', '--noflush', '-w', '5'], text);
    if (r.code !== 0) throw new Error(`iptables-restore failed (${r.code}): ${r.stderr.trim()}`);
  }

  private async sync(): Promise<void> {
    const model = this.model;
    if (!model) return;
    const started = performance.now();
    const full = this.needFull;
    const rules = this.cache.build(model);
    let savedNatChains: Set<string> | undefined;
    let jumps: Jump[] = [];
    if (full) {
      // Chains left by an earlier run (agent restart) are only visible in the table itself.
      const saved = await saveTables(this.opts.exec);
      savedNatChains = saved.get('nat')?.chains ?? new Set();
      jumps = await missingJumps(this.opts.exec, saved);
    }
    const plan = planSync({
      rules, written: this.written, full, savedNatChains, extra: insertLines(jumps),
      maxChainsPerCommit: this.opts.maxChainsPerCommit ?? DEFAULT_MAX_CHAINS_PER_COMMIT,
    });
    try {
      if (plan.restoreInput) await this.restore(plan.restoreInput);
    } catch (err) {
      // We no longer know what is in the tables: rewrite everything next time.
      this.needFull = true;
      throw err;
    }
    this.written = plan.written;
    this.needFull = false;
    this.last = {
      full, restoreInput: plan.restoreInput, changedServices: plan.changedServices, deletedChains: plan.deletedChains,
      jumpsInserted: jumps.length, durationMs: performance.now() - started, rulesByTable: countRules(rules),
    };
    this.opts.onSync?.(this.last);
  }
}
