// Keeps a node's iptables in step with the proxy model: `iptables-restore --noflush`, incremental
// (only KUBE-SERVICES/KUBE-NODEPORTS and the chains of services that changed are rewritten; stale
// chains are flushed and deleted explicitly), rate-limited, touching no chain but its own.
import { BoundedRunner } from './bounded-runner';
import type { Exec } from './exec';
import { JUMPS, ensureJumps, removeJumps, savedForm } from './jumps';
import type { ProxyModel } from './model';
import { isServiceChain } from './names';
import {
  KUBE_EXTERNAL_SERVICES, KUBE_FIREWALL, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING,
  KUBE_SERVICES, buildRules, renderRestore, type Chain, type ChainRef, type Table,
} from './rules';
import { saveTables, type SavedTables } from './saved-chains';

export interface ProxierOptions {
  exec: Exec;
  /** Minimum time between the starts of two syncs (bursts of updates coalesce). Default 1000 ms. */
  minSyncIntervalMs?: number;
  onSync?: (result: SyncResult) => void;
  onError?: (err: unknown) => void;
}

export interface SyncResult {
  full: boolean;
  /** Exactly what was fed to iptables-restore. */
  restoreInput: string;
  /** Services (`namespace/name`) whose chains were (re)written. */
  changedServices: string[];
  deletedChains: string[];
  jumpsInserted: number;
  durationMs: number;
}

interface Written { text: string; chains: ChainRef[] }

const FIXED_CHAINS: Record<Table, readonly string[]> = {
  nat: [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ],
  filter: [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_FIREWALL],
};

function serviceText(chains: Chain[]): string {
  return chains.map((c) => `${c.table}\n${c.rules.join('\n')}`).join('\n');
}

export class Proxier {
  private model: ProxyModel | null = null;
  private written = new Map<string, Written>();
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
    this.written.clear();
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
    const rules = buildRules(model);
    const toWrite: Chain[] = full ? [...rules.fixed, ...rules.top] : [...rules.top];
    const next = new Map<string, Written>();
    const changedServices: string[] = [];
    const wanted = new Set<string>();
    for (const [key, chains] of rules.services) {
      const text = serviceText(chains);
      for (const c of chains) wanted.add(c.name);
      next.set(key, { text, chains: chains.map((c) => ({ table: c.table, name: c.name })) });
      if (full || this.written.get(key)?.text !== text) {
        toWrite.push(...chains);
        changedServices.push(key);
      }
    }
    const stale = new Set<string>();
    for (const w of this.written.values()) for (const c of w.chains) if (!wanted.has(c.name)) stale.add(c.name);
    let saved: SavedTables | undefined;
    if (full) {
      // Chains left by an earlier run (agent restart) are only visible in the table itself.
      saved = await saveTables(this.opts.exec);
      for (const name of saved.get('nat')?.chains ?? []) if (isServiceChain(name) && !wanted.has(name)) stale.add(name);
    }
    const deletions: ChainRef[] = [...stale].sort().map((name) => ({ table: 'nat', name }));
    const restoreInput = renderRestore(toWrite, deletions);
    try {
      await this.restore(restoreInput);
    } catch (err) {
      // We no longer know what is in the tables: rewrite everything next time.
      this.needFull = true;
      throw err;
    }
    this.written = next;
    const jumpsInserted = full ? await ensureJumps(this.opts.exec, undefined, saved) : 0;
    this.needFull = false;
    this.last = {
      full, restoreInput, changedServices, deletedChains: [...stale].sort(), jumpsInserted,
      durationMs: performance.now() - started,
    };
    this.opts.onSync?.(this.last);
  }
}
