import { describe, expect, it } from 'vitest';
import { NodeMetricsStore, cpuQuantity, memoryQuantity } from '../../../main/nodes/metrics';
import { isStatsSummary, type StatsSummary } from '../../../main/protocol/stats-summary';
import { pollUntil } from '../../../main/protocol/poll';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

function summary(node: string, pods: Array<[string, string, number, number]>): StatsSummary {
  const time = new Date(T).toISOString();
  return {
    node: { nodeName: node, cpu: { time, usageNanoCores: 250_000_000 }, memory: { time, workingSetBytes: 1500 * 2 ** 20 } },
    pods: pods.map(([ns, name, cpu, mem]) => ({
      podRef: { namespace: ns, name, uid: `${name}-uid` },
      containers: [{ name: 'c', cpu: { time, usageNanoCores: cpu }, memory: { time, workingSetBytes: mem } }],
    })),
  };
}

describe('metrics store', () => {
  it('turns summaries into NodeMetrics and PodMetrics (metrics.k8s.io shapes)', () => {
    let now = T;
    const store = new NodeMetricsStore({ now: () => now });
    store.recordSummary(summary('n1', [['default', 'web', 1_000_000, 12 * 2 ** 20], ['kube-system', 'dns', 0, 2048]]));
    expect(store.nodeMetrics()).toEqual([{ metadata: { name: 'n1', creationTimestamp: '2026-01-01T12:00:00Z' }, timestamp: '2026-01-01T12:00:00Z', window: '10s', usage: { cpu: '250000000n', memory: '1536000Ki' } }]);
    expect(store.podMetrics('default')).toEqual([{
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T12:00:00Z' }, timestamp: '2026-01-01T12:00:00Z', window: '10s',
      containers: [{ name: 'c', usage: { cpu: '1000000n', memory: '12288Ki' } }],
    }]);
    expect(store.podMetrics().map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['default/web', 'kube-system/dns']);
    // A later summary replaces the node's pods; the window is the time between scrapes.
    now = T + 15_000;
    store.recordSummary(summary('n1', [['default', 'web', 2_000_000, 2 ** 20]]));
    expect(store.podMetrics().map((p) => [p.metadata.name, p.window])).toEqual([['web', '15s']]);
    // Stale samples are not served.
    now = T + 10 * 60_000;
    expect(store.nodeMetrics()).toEqual([]);
    expect(store.podMetrics()).toEqual([]);
  });

  it('serves no node CPU before the node has a rate (its first sample), never a made-up 0', () => {
    const store = new NodeMetricsStore({ now: () => T });
    const first = summary('n1', []);
    delete first.node.cpu!.usageNanoCores;
    store.recordSummary(first);
    expect(store.nodeMetrics()).toEqual([]);
    store.recordSummary(summary('n1', []));
    expect(store.nodeMetrics()[0]?.usage.cpu).toBe('250000000n');
  });

  it('pushed samples and forgetting a node', () => {
    const store = new NodeMetricsStore();
    store.recordNodeSample('n2', { cpuNanoCores: 5e6, memoryBytes: 2 ** 20 });
    store.recordPodSample('n2', 'default', 'p', [{ name: 'c', usage: { cpuNanoCores: 1, memoryBytes: 1024 } }]);
    expect(store.nodeMetrics()[0]?.usage).toEqual({ cpu: '5000000n', memory: '1024Ki' });
    expect(store.podMetrics()[0]?.containers[0]?.usage).toEqual({ cpu: '1n', memory: '1Ki' });
    store.forgetNode('n2');
    expect(store.nodeMetrics()).toEqual([]);
    expect(store.podMetrics()).toEqual([]);
  });

  it('scrape narrows what the node sent and checks whose it is', async () => {
    const store = new NodeMetricsStore();
    await expect(store.scrape('n1', async () => ({ node: {} }))).rejects.toThrow('not a stats summary');
    await expect(store.scrape('n1', async () => summary('n9', []))).rejects.toThrow('summary is for n9');
    await store.scrape('n1', async () => JSON.parse(JSON.stringify(summary('n1', []))) as unknown);
    expect(store.nodeMetrics().map((m) => m.metadata.name)).toEqual(['n1']);
    expect(isStatsSummary(summary('n1', [['a', 'b', 1, 1]]))).toBe(true);
    expect(isStatsSummary({ node: { nodeName: 'x', cpu: { time: 't', usageNanoCores: 'lots' } }, pods: [] })).toBe(false);
    expect(cpuQuantity(-1)).toBe('0n');
    expect(memoryQuantity(1536)).toBe('2Ki');
  });

  it('scrapeOnDemand scrapes every node on a read and returns a disposer', async () => {
    const store = new NodeMetricsStore();
    const seen: string[] = [];
    const stop = store.scrapeOnDemand(() => ['n1', 'n2'], async (n) => { seen.push(n); return summary(n, []); }, { intervalMs: 10_000 });
    await store.demand();
    await pollUntil(() => store.nodeMetrics().length >= 2, 2000, 'the first scrape of both nodes', 5);
    stop();
    expect(seen.sort()).toEqual(['n1', 'n2']);
    expect(store.nodeMetrics().map((m) => m.metadata.name)).toEqual(['n1', 'n2']);
  });

  it('scrapeOnDemand: no scrape until metrics are read; a read waits for the first round; rounds stop when nobody reads', async () => {
    let t = T;
    const store = new NodeMetricsStore({ now: () => t });
    let rounds = 0;
    const stop = store.scrapeOnDemand(() => ['n1'], async (n) => { rounds++; return summary(n, []); }, { intervalMs: 2, idleAfterMs: 1000 });
    try {
      await new Promise((r) => setTimeout(r, 20));
      expect(rounds).toBe(0); // nobody asked: the nodes are left alone
      await store.demand();
      expect(rounds).toBeGreaterThanOrEqual(1);
      expect(store.nodeMetrics().map((m) => m.metadata.name)).toEqual(['n1']);
      await pollUntil(() => rounds >= 3, 2000, 'rounds every intervalMs while read', 1); // t stays within idleAfterMs
      t += 5000; // nobody read for longer than idleAfterMs: the next round is the last
      const at = rounds;
      await pollUntil(() => rounds > at, 2000, 'the round after the pause', 1);
      const last = rounds;
      await new Promise((r) => setTimeout(r, 30));
      expect(rounds).toBe(last);
      await store.demand(); // a read restarts them, and waits for the first round
      expect(rounds).toBe(last + 1);
    } finally {
      stop();
    }
    expect(await store.demand().then(() => 'no hook after stop')).toBe('no hook after stop');
  });

  it('a summary after a pause longer than the agent\'s rate window is served with the agent\'s baseline window (1s)', () => {
    let t = T;
    const store = new NodeMetricsStore({ now: () => t });
    store.recordSummary(summary('n1', []), t);
    t += 10_000;
    store.recordSummary(summary('n1', []), t);
    expect(store.nodeMetrics()[0]?.window).toBe('10s');
    t += 3_600_000;
    store.recordSummary(summary('n1', []), t);
    expect(store.nodeMetrics()[0]?.window).toBe('1s');
  });
});
