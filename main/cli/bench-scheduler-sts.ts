// `flotilla bench scheduler --statefulset [--nodes N] [--pods M]`: a core in a temp dir with N hollow nodes
// and every control loop; one Parallel StatefulSet of M replicas with one volumeClaimTemplate (the default
// class `standard`: node-local, WaitForFirstConsumer) is created and timed until every pod is Running and
// every claim Bound, observed through the API. Each pod costs its claim's create, the scheduler's
// selected-node write, a provisioned PersistentVolume, two binds (volume and claim) and the pod's own writes.
import * as os from 'node:os';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../api/types';
import { DEFAULT_STORAGE_CLASS } from '../api/storage';
import { Informer } from '../client/cache/informer';
import { R } from '../client/refs';
import { pollUntil } from '../protocol/poll';
import { nowMs, percentile, printResult, printTable, round } from './bench-report';
import { countStoreWrites, startHollowBench } from './bench-hollow';
import { runningCode } from './bench-build';

const NAME = 'bench';

function statefulSet(replicas: number): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: NAME, namespace: 'default' },
    spec: {
      replicas, podManagementPolicy: 'Parallel', serviceName: NAME, selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME } },
        spec: {
          containers: [{
            name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          }],
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

export async function benchSchedulerStatefulSet({ nodes, pods, timeout }: { nodes: number; pods: number; timeout: number }): Promise<void> {
  const bench = await startHollowBench('flotilla-bench-sts-', nodes);
  const { core, hollow, nodesMs, errors } = bench;
  try {
    // The claims must get the default class, which the controllers create at start.
    await pollUntil(() => core.client.get(R.storageclasses, DEFAULT_STORAGE_CLASS).then(() => true), 30_000, `StorageClass ${DEFAULT_STORAGE_CLASS}`);

    const boundAt = new Map<string, number>();
    const runningAt = new Map<string, number>();
    const claimBoundAt = new Map<string, number>();
    const pods$ = new Informer<Pod>(core.client, R.pods, { namespace: 'default' });
    const claims$ = new Informer<PersistentVolumeClaim>(core.client, R.persistentvolumeclaims, { namespace: 'default' });
    const seenPod = (p: Pod) => {
      const uid = p.metadata?.uid ?? '';
      if (p.spec?.nodeName && !boundAt.has(uid)) boundAt.set(uid, nowMs());
      if (p.status?.phase === 'Running' && !runningAt.has(uid)) runningAt.set(uid, nowMs());
    };
    const seenClaim = (c: PersistentVolumeClaim) => {
      const uid = c.metadata?.uid ?? '';
      if (c.status?.phase === 'Bound' && !claimBoundAt.has(uid)) claimBoundAt.set(uid, nowMs());
    };
    pods$.addHandler({ add: seenPod, update: (_o, p) => seenPod(p) });
    claims$.addHandler({ add: seenClaim, update: (_o, c) => seenClaim(c) });
    const stops = [pods$.start(), claims$.start()];
    await Promise.all([pods$.hasSynced, claims$.hasSynced]);

    const writes = countStoreWrites(core);
    const t0 = nowMs();
    const cpu0 = process.cpuUsage();
    await core.client.create(R.statefulsets, statefulSet(pods), { namespace: 'default' });
    const deadline = t0 + timeout * 1000;
    let last = 0;
    const done = () => runningAt.size >= pods && claimBoundAt.size >= pods;
    while (!done() && nowMs() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      const t = nowMs() - t0;
      if (t - last >= 1000) {
        last = t;
        process.stderr.write(`  ${round(t / 1000)} s: ${pods$.list().length} pods created, ${claimBoundAt.size} claims bound, ${boundAt.size} scheduled, ${runningAt.size} running\n`);
      }
    }
    const allMs = Math.max(...runningAt.values(), ...claimBoundAt.values(), t0) - t0;
    const cpu = process.cpuUsage(cpu0);
    stops.forEach((s) => s());
    writes.stop();
    const binds = [...boundAt.values()].sort((a, b) => a - b);
    const bindWindow = binds.length > 1 ? (binds[binds.length - 1] - binds[0]) / 1000 : NaN;
    const e2e = [...runningAt.values()].map((t) => t - t0);
    const podsPerS = runningAt.size / (allMs / 1000);
    const complete = done();
    printTable([
      ['metric', 'value'],
      ['code (bench-build.ts)', runningCode()],
      ['nodes', nodes],
      ['replicas (wanted)', pods],
      ['pods scheduled', binds.length],
      ['pods running', runningAt.size],
      ['claims bound', claimBoundAt.size],
      ['node registration (s)', round(nodesMs / 1000, 2)],
      ['end to end (pods/s, StatefulSet created → all Running and Bound)', round(podsPerS, 1)],
      ['scheduling (pods/s, first→last bind)', round(binds.length / bindWindow, 1)],
      ['e2e p50 (ms, created → Running)', round(percentile(e2e, 50), 0)],
      ['e2e p99 (ms)', round(percentile(e2e, 99), 0)],
      ['total (s)', round(allMs / 1000, 2)],
      ['cpu per pod (ms, whole process)', round((cpu.user + cpu.system) / 1000 / Math.max(1, runningAt.size), 2)],
      ['load average (1 min, other processes share the cores)', round(os.loadavg()[0], 2)],
      ['rss (MB, control plane + hollow nodes)', round(process.memoryUsage().rss / 2 ** 20, 0)],
      ...writes.rows(pods),
    ]);
    if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
    await hollow.stop();
    printResult({
      bench: 'scheduler', variant: 'statefulset', code: runningCode(), nodes, pods, pods_per_s: round(podsPerS, 1),
      e2e_p50_ms: round(percentile(e2e, 50), 0), e2e_p99_ms: round(percentile(e2e, 99), 0),
      claims_bound: claimBoundAt.size, total_s: round(allMs / 1000, 2), writes_per_pod: writes.perPod(pods), complete,
    });
  } finally {
    await bench.stop();
  }
}
