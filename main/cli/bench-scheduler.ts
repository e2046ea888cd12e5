// `flotilla bench scheduler [--nodes N] [--pods M]`: a core in a temp dir with N hollow nodes and
// every control loop; 100 deployments (M pods in all) are scaled up at once and timed until every
// pod is scheduled and Running, observed through the API (a watch, like any client). With --statefulset,
// one Parallel StatefulSet with claims instead (bench-scheduler-sts.ts).
import * as os from 'node:os';
import type { Pod } from '../api/types';
import type { BenchSchedulerOptions } from './commands';
import { Informer } from '../client/cache/informer';
import { R } from '../client/refs';
import { nowMs, percentile, printResult, printTable, round } from './bench-report';
import { countStoreWrites, startHollowBench } from './bench-hollow';
import { Framework } from '../scheduler/framework';
import { NodeInfo } from '../scheduler/node-info';
import { newPodInfo } from '../scheduler/pod-info';
import { benchSchedulerStatefulSet } from './bench-scheduler-sts';
import { rerunOnBuild, runningCode } from './bench-build';

/** The scheduling cycle alone (filters, scores, assume) over an in-memory cache: what the scheduler could do if the API kept up. */
function cycleThroughput(nodes: number, pods: number): number {
  const infos = Array.from({ length: nodes }, (_, i) => new NodeInfo({ metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}` } }, spec: {}, status: { allocatable: { cpu: '32', memory: '64Gi', pods: '110' } } }));
  const byName = new Map(infos.map((n) => [n.name, n]));
  const fw = new Framework();
  const t0 = nowMs();
  for (let i = 0; i < pods; i++) {
    const owner = `rs${i % DEPLOYMENTS}`;
    const pi = newPodInfo({
      metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] },
      spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    });
    const r = fw.schedule(pi, infos);
    if ('node' in r) byName.get(r.node)?.addPod(pi);
  }
  return pods / ((nowMs() - t0) / 1000);
}

const DEPLOYMENTS = 100;

export async function benchScheduler(o: BenchSchedulerOptions): Promise<void> {
  const exitCode = await rerunOnBuild();
  if (exitCode !== undefined) {
    process.exitCode = exitCode;
    return;
  }
  const { nodes, timeout } = o;
  if (o.statefulset) {
    await benchSchedulerStatefulSet({ nodes, timeout, pods: o.pods ?? 1000 });
    return;
  }
  const pods = o.pods ?? 10_000;
  const timeoutMs = timeout * 1000;
  const cyclesPerS = cycleThroughput(nodes, pods);
  const bench = await startHollowBench('flotilla-bench-sched-', nodes);
  const { core, hollow, nodesMs, errors } = bench;
  try {

    // Observe pods through a watch: first time bound, first time Running.
    const boundAt = new Map<string, number>();
    const runningAt = new Map<string, number>();
    const depOf = new Map<string, string>();
    const inf = new Informer<Pod>(core.client, R.pods, { namespace: 'default' });
    const seen = (p: Pod) => {
      const uid = p.metadata?.uid ?? '';
      if (!depOf.has(uid)) depOf.set(uid, p.metadata?.labels?.app ?? '');
      if (p.spec?.nodeName && !boundAt.has(uid)) boundAt.set(uid, nowMs());
      if (p.status?.phase === 'Running' && !runningAt.has(uid)) runningAt.set(uid, nowMs());
    };
    inf.addHandler({ add: seen, update: (_o, p) => seen(p) });
    const stopInf = inf.start();
    await inf.hasSynced;

    // Deployments at 0 replicas, then scaled all at once.
    const per = Math.floor(pods / DEPLOYMENTS);
    const extra = pods - per * DEPLOYMENTS;
    const want = Array.from({ length: DEPLOYMENTS }, (_, i) => per + (i < extra ? 1 : 0));
    for (let i = 0; i < DEPLOYMENTS; i++) {
      await core.client.create(R.deployments, {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'default' },
        spec: {
          replicas: 0, selector: { matchLabels: { app: `d${i}` } },
          template: { metadata: { labels: { app: `d${i}` } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } },
        },
      });
    }
    const scaledAt = new Map<string, number>();
    const writes = countStoreWrites(core);
    const t0 = nowMs();
    const cpu0 = process.cpuUsage();
    await Promise.all(want.map(async (n, i) => {
      scaledAt.set(`d${i}`, nowMs());
      await core.client.patch(R.deployments, `d${i}`, { spec: { replicas: n } }, 'merge', { namespace: 'default' });
    }));
    const progress: Array<[number, number, number]> = [];
    let last = 0;
    const deadline = t0 + timeoutMs;
    while (runningAt.size < pods && nowMs() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const t = nowMs() - t0;
      if (t - last >= 1000) {
        last = t;
        progress.push([t, boundAt.size, runningAt.size]);
        process.stderr.write(`  ${round(t / 1000)} s: ${boundAt.size} scheduled, ${runningAt.size} running\n`);
      }
    }
    const tEnd = nowMs();
    const cpu = process.cpuUsage(cpu0);
    const cpuMsPerPod = (cpu.user + cpu.system) / 1000 / Math.max(1, runningAt.size);
    stopInf();
    writes.stop();
    const binds = [...boundAt.values()].sort((a, b) => a - b);
    const schedWindow = binds.length > 1 ? (binds[binds.length - 1] - binds[0]) / 1000 : NaN;
    const podsPerS = binds.length / schedWindow;
    const e2e: number[] = [];
    for (const [uid, t] of runningAt) {
      const s = scaledAt.get(depOf.get(uid) ?? '');
      if (s !== undefined) e2e.push(t - s);
    }
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    const allMs = tEnd - t0;
    printTable([
      ['metric', 'value'],
      ['code (bench-build.ts)', runningCode()],
      ['nodes', nodes],
      ['pods (wanted)', pods],
      ['pods scheduled', binds.length],
      ['pods running', runningAt.size],
      ['node registration (s)', round(nodesMs / 1000, 2)],
      ['scheduling cycle alone (pods/s, in-memory cache)', round(cyclesPerS, 0)],
      ['scheduling throughput (pods/s, first→last bind)', round(podsPerS, 1)],
      ['end to end (pods/s, scale→all running)', round(runningAt.size / (allMs / 1000), 1)],
      ['e2e p50 (ms, scaled → Running)', round(percentile(e2e, 50), 0)],
      ['e2e p99 (ms)', round(percentile(e2e, 99), 0)],
      ['total (s)', round(allMs / 1000, 2)],
      ['cpu per pod (ms, whole process)', round(cpuMsPerPod, 2)],
      ['load average (1 min, other processes share the cores)', round(os.loadavg()[0], 2)],
      ['rss (MB, control plane + hollow nodes)', round(rssMb, 0)],
      ['heap used (MB)', round(heapMb, 0)],
      ...writes.rows(pods),
    ]);
    if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
    await hollow.stop();
    printResult({
      bench: 'scheduler', code: runningCode(), nodes, pods, scheduled: binds.length, running: runningAt.size,
      pods_per_s: round(podsPerS, 1), cycle_pods_per_s: round(cyclesPerS, 0), e2e_pods_per_s: round(runningAt.size / (allMs / 1000), 1),
      e2e_p50_ms: round(percentile(e2e, 50), 0), e2e_p99_ms: round(percentile(e2e, 99), 0),
      total_s: round(allMs / 1000, 2), cpu_ms_per_pod: round(cpuMsPerPod, 2),
      writes_per_pod: writes.perPod(pods), rss_mb: round(rssMb, 0), complete: runningAt.size >= pods,
    });
  } finally {
    await bench.stop();
  }
}
