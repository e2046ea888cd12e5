// `flotilla bench proxy`: the node agent's iptables proxier, 1,000 services × 3 endpoints: a full
// sync, then the incremental sync after one endpoint changes (root: runs in a throw-away netns).
import type { BenchProxyOptions } from './commands';
import { printResult, printTable } from './bench-report';
import { benchProxy } from './bench-proxy-sync';

export async function benchProxyCli({ services, runs }: BenchProxyOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench proxy programs iptables in a network namespace: run it as root');
  const r = await benchProxy({ services, endpointsPerService: 3, runs });
  printTable([
    ['measure (median of ' + runs + ' runs)', 'ms', 'target'],
    [`full sync, ${r.services} services x 3 endpoints`, r.full_sync_ms, '<= 1000'],
    ['incremental sync after one endpoint change', r.incremental_sync_ms, '<= 100'],
  ]);
  printResult({ bench: 'proxy', services: r.services, endpoints_per_service: 3, full_sync_ms: r.full_sync_ms, incremental_sync_ms: r.incremental_sync_ms });
}
