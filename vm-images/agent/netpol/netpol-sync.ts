// The agent's NetworkPolicy enforcement: watches NetworkPolicies and Namespaces, reads the
// cluster-wide pod informer it is given (peers may be on any node), and on any change recomputes
// this node's chains (rules.ts) and writes them (writer.ts) in a rate-limited, coalescing sync —
// a change takes effect within the interval plus one restore. A node none of whose pods a policy
// selects holds no rule of ours at all. A periodic full sync re-reads the table (our jumps stay
// first in FORWARD and INPUT). stop() removes every chain and jump of ours.
import type { Namespace, NetworkPolicy, Pod } from '../../../main/api/types';
import type { Informer } from '../../../main/client/cache/informer';
import type { ApiClient } from '../../../main/client/types';
import { R } from '../../../main/client/refs';
import { BoundedRunner } from '../proxy/bounded-runner';
import type { Exec } from '../proxy/exec';
import { agentInformer } from '../sync/informers';
import { computeNetpolRules } from './rules';
import { NetpolWriter } from './writer';

export const DEFAULT_NETPOL_SYNC_MS = 250;
/** The full re-read of the table that repairs rules changed behind our back (kube-router's iptables sync period). */
export const NETPOL_RESYNC_MS = 300_000;
const RETRY_MS = 2000;

export interface NetpolSyncOptions {
  client: ApiClient;
  exec: Exec;
  nodeName: string;
  /** Every pod of the cluster; started by its owner. */
  pods: Informer<Pod>;
  log: (line: string) => void;
  minSyncIntervalMs?: number;
  resyncMs?: number;
  backoffMs?: number;
}

export class NetpolSync {
  private readonly policies: Informer<NetworkPolicy>;
  private readonly namespaces: Informer<Namespace>;
  private readonly writer: NetpolWriter;
  private readonly runner: BoundedRunner;
  private readonly disposers: Array<() => void> = [];
  private full = true;
  private timer?: ReturnType<typeof setInterval>;
  private retry?: ReturnType<typeof setTimeout>;
  private stopped = false;

  constructor(private readonly o: NetpolSyncOptions) {
    const err = (what: string) => (e: unknown) => o.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    this.policies = agentInformer<NetworkPolicy>(o.client, R.networkpolicies, { backoffMs: o.backoffMs, onError: err('networkpolicies watch') });
    this.namespaces = agentInformer<Namespace>(o.client, R.namespaces, { backoffMs: o.backoffMs, onError: err('namespaces watch') });
    this.writer = new NetpolWriter(o.exec);
    this.runner = new BoundedRunner(() => this.sync(), o.minSyncIntervalMs ?? DEFAULT_NETPOL_SYNC_MS, (e) => {
      // The table is unknown now: read it on the retry.
      this.full = true;
      err('network policies')(e);
      if (!this.stopped && !this.retry) this.retry = setTimeout(() => { this.retry = undefined; this.runner.request(); }, RETRY_MS);
    });
    const changed = (): void => this.runner.request();
    const onAny = { add: changed, update: changed, delete: changed };
    for (const inf of [this.policies, this.namespaces, o.pods] as Array<Informer<NetworkPolicy | Namespace | Pod>>) {
      this.disposers.push(inf.addHandler(onAny));
    }
  }

  start(): void {
    void this.checkBridge();
    this.disposers.push(this.policies.start(), this.namespaces.start());
    void this.synced().then(() => this.runner.request());
    this.timer = setInterval(() => {
      this.full = true;
      this.runner.request();
    }, this.o.resyncMs ?? NETPOL_RESYNC_MS);
  }

  /** Resolves once policies, namespaces and pods have been listed. */
  async synced(): Promise<void> {
    await Promise.all([this.policies.hasSynced, this.namespaces.hasSynced, this.o.pods.hasSynced]);
  }

  /** Syncs now (after a sync in progress); for tests. */
  syncNow(): Promise<void> {
    return this.runner.runNow();
  }

  /** Stops watching and removes every chain and jump of ours. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    for (const d of this.disposers.splice(0)) d();
    await this.runner.stop();
    await this.writer.cleanup();
  }

  /** Same-node pod traffic crosses the bridge and meets FORWARD only with bridge-nf-call-iptables (network/sysctls.ts): say so when it is off. */
  private async checkBridge(): Promise<void> {
    const r = await this.o.exec(['sysctl', '-n', 'net.bridge.bridge-nf-call-iptables']);
    const value = r.code === 0 ? r.stdout.trim() : 'unavailable';
    if (value !== '1') this.o.log(`network policies: net.bridge.bridge-nf-call-iptables is ${value}: traffic between pods of this node is not filtered`);
  }

  private async sync(): Promise<void> {
    if (!this.policies.isSynced || !this.namespaces.isSynced || !this.o.pods.isSynced) return;
    const namespaces = new Map(this.namespaces.list().map((n) => [n.metadata?.name ?? '', n.metadata?.labels ?? {}]));
    const { chains } = computeNetpolRules({ policies: this.policies.list(), pods: this.o.pods.list(), namespaces, nodeName: this.o.nodeName });
    // Only the top chain: no local pod is isolated, so nothing of ours belongs in the table.
    const desired = chains.length > 1 ? chains : [];
    const full = this.full;
    this.full = false;
    await this.writer.apply(desired, full);
  }
}
