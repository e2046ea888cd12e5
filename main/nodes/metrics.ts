// metrics.k8s.io from the nodes' stats: a MetricsSource (set it as core.ctx.metrics) fed with
// samples — pushed with recordNodeSample/recordPodSample, or scraped from each agent's
// GET /stats/summary through a fetch (statsFetcher(endpoint) reaches the agent server as pod streams do).
// Wiring: const m = new NodeMetricsStore(); core.ctx.metrics = m; own(m.scrapeOnDemand(readyNodes, statsFetcher(ep))):
// the nodes are scraped only while someone reads metrics.k8s.io (kubectl top, the HPA, the UI's charts), so an idle
// cluster nobody looks at is not woken every 10 s; a read after a pause waits for a first round.
import type { NodeMetrics, PodMetrics } from '../api/types';
import { agentGet, type AgentEndpoint } from '../protocol/agent-connection';
import { isStatsSummary, STATS_BASELINE_MS, STATS_MAX_RATE_WINDOW_MS, STATS_SUMMARY_PATH, type StatsSummary } from '../protocol/stats-summary';
import { compareCodePoints } from '../api/string-order';

export interface Usage {
  /** CPU in nanocores (1e9 = one core). */
  cpuNanoCores: number;
  /** Working set in bytes. */
  memoryBytes: number;
}

export interface ContainerUsage { name: string; usage: Usage }

export interface OnDemandScrapeOptions {
  /** Between rounds while metrics are read (default 10 s). */
  intervalMs?: number;
  /** The rounds stop when nothing read metrics for this long (default 60 s). */
  idleAfterMs?: number;
  /** How long a read that restarts the rounds waits for the first one (default 5 s). */
  firstRoundWaitMs?: number;
  onError?: (node: string, err: unknown) => void;
}

export interface MetricsStoreOptions {
  /** Samples older than this are no longer served (default 120 s). */
  maxAgeMs?: number;
  now?: () => number;
}

/** `at`: when the node measured it (served as timestamp); `received`: when we got it (for staleness, immune to node clock skew). */
interface NodeSample { at: number; received: number; windowSeconds: number; usage: Usage }
interface PodSample { at: number; received: number; windowSeconds: number; namespace: string; name: string; containers: ContainerUsage[] }

export function cpuQuantity(nanoCores: number): string {
  return `${Math.max(0, Math.round(nanoCores))}n`;
}

export function memoryQuantity(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class NodeMetricsStore {
  private readonly nodes = new Map<string, NodeSample>();
  /** node → "namespace/name" → sample */
  private readonly pods = new Map<string, Map<string, PodSample>>();
  private readonly lastSummaryAt = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private demandHook?: () => Promise<void>;

  constructor(opts: MetricsStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.maxAgeMs = opts.maxAgeMs ?? 120_000;
  }

  recordNodeSample(node: string, usage: Usage, at: number = this.now(), windowSeconds = 10): void {
    this.nodes.set(node, { at, received: this.now(), windowSeconds, usage });
  }

  recordPodSample(node: string, namespace: string, name: string, containers: ContainerUsage[], at: number = this.now(), windowSeconds = 10): void {
    let byPod = this.pods.get(node);
    if (!byPod) { byPod = new Map(); this.pods.set(node, byPod); }
    byPod.set(`${namespace}/${name}`, { at, received: this.now(), windowSeconds, namespace, name, containers });
  }

  /** Replaces everything known about the summary's node with its contents. */
  recordSummary(summary: StatsSummary, at: number = this.now()): void {
    const node = summary.node.nodeName;
    const prev = this.lastSummaryAt.get(node);
    // The agent's rates cover the time since its previous sample (our previous scrape), or its fresh baseline's second
    // when that was too long ago (stats-summary.ts).
    const gap = prev !== undefined && at > prev ? at - prev : undefined;
    const windowSeconds = gap === undefined ? 10 : gap > STATS_MAX_RATE_WINDOW_MS ? STATS_BASELINE_MS / 1000 : Math.max(1, Math.round(gap / 1000));
    this.lastSummaryAt.set(node, at);
    const sampleAt = Date.parse(summary.node.cpu?.time ?? '') || at;
    // A node's first sample has no CPU rate yet: serve nothing rather than 0 (as metrics-server does).
    const cpu = summary.node.cpu?.usageNanoCores;
    if (cpu !== undefined) {
      this.recordNodeSample(node, {
        cpuNanoCores: cpu,
        memoryBytes: summary.node.memory?.workingSetBytes ?? summary.node.memory?.usageBytes ?? 0,
      }, sampleAt, windowSeconds);
    }
    this.pods.set(node, new Map());
    for (const p of summary.pods) {
      this.recordPodSample(node, p.podRef.namespace, p.podRef.name, p.containers.map((c) => ({
        name: c.name, usage: { cpuNanoCores: c.cpu?.usageNanoCores ?? 0, memoryBytes: c.memory?.workingSetBytes ?? c.memory?.usageBytes ?? 0 },
      })), sampleAt, windowSeconds);
    }
  }

  forgetNode(node: string): void {
    this.nodes.delete(node);
    this.pods.delete(node);
    this.lastSummaryAt.delete(node);
  }

  /** Fetches one node's summary and records it; rejects when the node does not answer or answers nonsense. */
  async scrape(node: string, fetch: (node: string) => Promise<unknown>): Promise<void> {
    const summary = await fetch(node);
    if (!isStatsSummary(summary)) throw new Error(`node ${node}: /stats/summary is not a stats summary`);
    if (summary.node.nodeName !== node) throw new Error(`node ${node}: summary is for ${summary.node.nodeName}`);
    this.recordSummary(summary);
  }

  /**
   * Called before metrics are read (the metrics.k8s.io handlers): with scrapeOnDemand, keeps the rounds going, or
   * restarts them and resolves after the first (at most its firstRoundWaitMs); without it, at once.
   */
  demand(): Promise<void> {
    return this.demandHook?.() ?? Promise.resolve();
  }

  /**
   * Scrapes every node of `nodes()` every intervalMs while metrics are read (demand() called within idleAfterMs), as
   * metrics-server scrapes the kubelets but only while someone looks; returns the disposer.
   */
  scrapeOnDemand(nodes: () => string[], fetch: (node: string) => Promise<unknown>, o: OnDemandScrapeOptions = {}): () => void {
    const intervalMs = o.intervalMs ?? 10_000;
    const idleAfterMs = o.idleAfterMs ?? 60_000;
    let stopped = false;
    let looping = false;
    let lastDemand = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = async (): Promise<void> => {
      await Promise.all(nodes().map((n) => this.scrape(n, fetch).catch((err: unknown) => o.onError?.(n, err))));
      if (stopped || this.now() - lastDemand >= idleAfterMs) { looping = false; return; }
      timer = setTimeout(() => void loop(), intervalMs);
    };
    const hook = async (): Promise<void> => {
      lastDemand = this.now();
      if (stopped || looping) return;
      looping = true;
      let wait: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([loop(), new Promise<void>((resolve) => { wait = setTimeout(resolve, o.firstRoundWaitMs ?? 5000); })]);
      clearTimeout(wait);
    };
    this.demandHook = hook;
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (this.demandHook === hook) this.demandHook = undefined;
    };
  }

  private fresh(s: { received: number }): boolean {
    return this.now() - s.received <= this.maxAgeMs;
  }

  nodeMetrics(): NodeMetrics[] {
    return [...this.nodes.entries()].filter(([, s]) => this.fresh(s)).sort(([a], [b]) => compareCodePoints(a, b)).map(([name, s]) => ({
      metadata: { name, creationTimestamp: iso(this.now()) },
      timestamp: iso(s.at), window: `${s.windowSeconds}s`,
      usage: { cpu: cpuQuantity(s.usage.cpuNanoCores), memory: memoryQuantity(s.usage.memoryBytes) },
    }));
  }

  podMetrics(namespace?: string): PodMetrics[] {
    const out: PodMetrics[] = [];
    for (const byPod of this.pods.values()) {
      for (const s of byPod.values()) {
        if (namespace && s.namespace !== namespace) continue;
        if (!this.fresh(s)) continue;
        out.push({
          metadata: { name: s.name, namespace: s.namespace, creationTimestamp: iso(this.now()) },
          timestamp: iso(s.at), window: `${s.windowSeconds}s`,
          containers: s.containers.map((c) => ({
            name: c.name, usage: { cpu: cpuQuantity(c.usage.cpuNanoCores), memory: memoryQuantity(c.usage.memoryBytes) },
          })),
        });
      }
    }
    return out.sort((a, b) => compareCodePoints(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`));
  }
}

/** A fetch for scrape/scrapeOnDemand: GET /stats/summary from the node's agent server through the dialer the pod streams use. */
export function statsFetcher(ep: AgentEndpoint, timeoutMs = 10_000): (node: string) => Promise<unknown> {
  return async (node) => {
    const { res, req } = await agentGet(ep, node, STATS_SUMMARY_PATH);
    const timer = setTimeout(() => req.destroy(new Error(`node ${node}: /stats/summary took over ${timeoutMs} ms`)), timeoutMs);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
        res.on('error', reject);
        req.on('error', reject);
      });
      if (res.statusCode !== 200) throw new Error(`node ${node}: /stats/summary answered ${res.statusCode ?? 0}: ${body.slice(0, 200)}`);
      return JSON.parse(body) as unknown;
    } finally {
      clearTimeout(timer);
    }
  };
}
