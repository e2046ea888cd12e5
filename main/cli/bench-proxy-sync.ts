// Proxier benchmark (root only): in a throw-away network namespace, a full sync of N services ×
// M endpoints, then an incremental sync after one endpoint changes. Medians over a few runs.
// It drives the real agent's proxier (boundary rule "bench → agent" in eslint.config.mjs).
import { localExec, netnsExec, run } from '../../vm-images/agent/proxy/exec';
import type { ProxyModel, ServiceModel } from '../../vm-images/agent/proxy/model';
import { Proxier } from '../../vm-images/agent/proxy/proxier';
import { median, round } from './bench-report';

export interface ProxyBenchResult {
  services: number;
  full_sync_ms: number;
  incremental_sync_ms: number;
}

export interface ProxyBenchOptions {
  services?: number;
  endpointsPerService?: number;
  runs?: number;
}

function benchModel(services: number, perService: number, changedEndpoint: number): ProxyModel {
  const list: ServiceModel[] = [];
  for (let i = 0; i < services; i++) {
    list.push({
      namespace: 'bench', name: `svc-${i}`, clusterIP: `10.96.${(i >> 8) & 255}.${i & 255}`,
      ports: [{ name: 'http', port: 80, protocol: 'TCP', ...(i % 10 === 0 ? { nodePort: 30000 + i } : {}) }],
      sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
      endpoints: Array.from({ length: perService }, (_, j) => {
        const n = i * perService + j + (i === 0 && j === 0 ? changedEndpoint : 0);
        return { ip: `10.244.${(n >> 8) & 255}.${n & 255}`, ports: { http: 8080 }, ready: true };
      }),
    });
  }
  return { services: list, nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16' };
}

export async function benchProxy(opts: ProxyBenchOptions = {}): Promise<ProxyBenchResult> {
  const services = opts.services ?? 1000;
  const perService = opts.endpointsPerService ?? 3;
  const runs = opts.runs ?? 5;
  const ns = `flt-bench-p${process.pid}-${Date.now() % 100000}`;
  await run(localExec, ['ip', 'netns', 'add', ns]);
  const full: number[] = [];
  const incremental: number[] = [];
  try {
    const exec = netnsExec(ns);
    for (let r = 0; r < runs; r++) {
      const proxier = new Proxier({ exec, minSyncIntervalMs: 0 });
      try {
        proxier.update(benchModel(services, perService, 0));
        let t = performance.now();
        const first = await proxier.syncNow();
        full.push(performance.now() - t);
        if (!first?.full) throw new Error('first sync was not full');
        // One endpoint of one service moves to a new address.
        proxier.update(benchModel(services, perService, 60000));
        t = performance.now();
        const second = await proxier.syncNow();
        incremental.push(performance.now() - t);
        if (second?.full || second?.changedServices.length !== 1) throw new Error('second sync was not incremental');
      } finally {
        await proxier.cleanup();
      }
    }
  } finally {
    await localExec(['ip', 'netns', 'del', ns]);
  }
  return { services, full_sync_ms: round(median(full)), incremental_sync_ms: round(median(incremental)) };
}
