// `flotilla bench first-cluster`: `flotilla serve --nodes 2` (the built bundle, a child process) on an empty data
// dir, timed from the spawn to each stage minikube's time-to-k8s benchmark has: the API answering, both nodes
// Ready, a 2-replica Deployment Running (applied as soon as the API answers, as a user's script would) and its
// Service's name answering in DNS from one of its pods (`kubectl exec … nslookup`, the real kubectl); each
// machine's bootstrap steps as the watchers saw them. Then a warm restart: serve stopped (SIGTERM) and started
// again on the same data dir, timed until the API answers, every node's agent has renewed its Lease since,
// the app is still Running and the name answers again. Removed afterwards, also on failure.
import { execFile } from 'node:child_process';
import type { Deployment, KObject, Lease, Machine, Pod, Service } from '../api/types';
import type { HttpClient } from '../client/http';
import { R } from '../client/refs';
import { startBenchServe, type BenchServe } from './bench-serve';
import type { BenchFirstClusterOptions } from './commands';
import { nowMs, printResult, printTable, round } from './bench-report';
import { PollFailure, pollUntil } from '../protocol/poll';

const NODES = 2;
const APP = 'hello';
const NS = 'default';
const POLL_MS = 50;
const FQDN = `${APP}.${NS}.svc.cluster.local`;

function ready(o: KObject): boolean {
  const conds = (o.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

async function readyNodes(c: HttpClient): Promise<number> {
  return (await c.list(R.nodes)).items.filter(ready).length;
}

async function runningAppPods(c: HttpClient): Promise<Pod[]> {
  const pods = (await c.list<Pod & KObject>(R.pods, { namespace: NS, labelSelector: `app=${APP}` })).items;
  return pods.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running' && ready(p));
}

async function applyApp(c: HttpClient): Promise<void> {
  const labels = { app: APP };
  const deployment: Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: APP, namespace: NS },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: APP, image: 'docker.io/flotilla/hello:1', ports: [{ containerPort: 8080 }] }] } } },
  };
  const service: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: APP, namespace: NS }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } };
  await c.create(R.deployments, deployment, { namespace: NS });
  await c.create(R.services, service, { namespace: NS });
}

/** `kubectl exec POD -- nslookup FQDN` answered with the Service's ClusterIP. */
function nslookupAnswers(kubeconfig: string, pod: string, ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, '-n', NS, 'exec', pod, '--', 'nslookup', FQDN], { encoding: 'utf8', timeout: 10_000 },
      (err, stdout) => resolve(!err && stdout.includes(`Address: ${ip}`)));
  });
}

async function dnsAnswers(s: BenchServe, c: HttpClient): Promise<boolean> {
  const [pod] = await runningAppPods(c);
  if (!pod?.metadata?.name) return false;
  const ip = (await c.get<Service>(R.services, APP, NS)).spec?.clusterIP ?? '';
  return nslookupAnswers(s.kubeconfig, pod.metadata.name, ip);
}

/** When each machine's bootstrap step was first seen (ms after t0), until every machine is Running. */
class MachineSteps {
  readonly seen = new Map<string, number>();
  private done = false;
  constructor(private readonly c: HttpClient, private readonly t0: number) {}
  async follow(): Promise<void> {
    while (!this.done) {
      const items = (await this.c.list<Machine & KObject>(R.machines).catch(() => ({ items: [] as Array<Machine & KObject> }))).items;
      for (const m of items) {
        const key = m.status?.phase === 'Running' ? 'Running' : `${m.status?.progress?.step ?? 0} ${m.status?.progress?.message ?? m.status?.phase ?? ''}`.replace(/ \(attempt.*$/, '');
        if (!this.seen.has(`${m.metadata?.name ?? ''}\t${key}`)) this.seen.set(`${m.metadata?.name ?? ''}\t${key}`, nowMs() - this.t0);
      }
      const nodes = (await this.c.list(R.nodes).catch(() => ({ items: [] as KObject[] }))).items;
      for (const n of nodes) {
        const key = `${n.metadata?.name ?? ''}\tNode ${ready(n) ? 'Ready' : (n.spec as { podCIDR?: string } | undefined)?.podCIDR ? 'podCIDR' : 'registered'}`;
        if (!this.seen.has(key)) this.seen.set(key, nowMs() - this.t0);
      }
      if (items.length >= NODES && items.every((m) => m.status?.phase === 'Running')) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  stop(): void { this.done = true; }
}

interface Cold { api: number; nodes: number; app: number; dns: number; steps: Map<string, number> }

async function coldStart(s: BenchServe, t0: number): Promise<Cold> {
  const c = await s.waitForApi(60_000);
  const api = nowMs() - t0;
  const steps = new MachineSteps(c, t0);
  const following = steps.follow();
  await applyApp(c);
  const failed = async (): Promise<void> => {
    const m = (await c.list<Machine & KObject>(R.machines)).items.find((x) => x.status?.phase === 'Failed');
    if (m) throw new PollFailure(`machine ${m.metadata?.name ?? ''} failed: ${m.status?.message ?? ''}`);
  };
  let nodes = NaN;
  let app = NaN;
  await pollUntil(async () => {
    await failed();
    if (Number.isNaN(nodes) && await readyNodes(c) >= NODES) nodes = nowMs() - t0;
    if (Number.isNaN(app) && (await runningAppPods(c)).length >= 2) app = nowMs() - t0;
    return !Number.isNaN(nodes) && !Number.isNaN(app);
  }, 180_000, `${NODES} nodes Ready and the app Running`, POLL_MS);
  await pollUntil(() => dnsAnswers(s, c), 60_000, `${FQDN} answering from a pod`, POLL_MS);
  const dns = nowMs() - t0;
  steps.stop();
  await following;
  return { api, nodes, app, dns, steps: steps.seen };
}

interface Warm { api: number; leases: number; all: number }

async function warmRestart(s: BenchServe): Promise<Warm> {
  await s.terminate();
  const t0 = nowMs();
  const since = Date.now();
  s.restart();
  const c = await s.waitForApi(60_000);
  const api = nowMs() - t0;
  let leases = NaN;
  await pollUntil(async () => {
    if (Number.isNaN(leases)) {
      const renewed = (await c.list<Lease & KObject>(R.leases, { namespace: 'kube-node-lease' })).items.filter((l) => Date.parse(l.spec?.renewTime ?? '') >= since);
      if (renewed.length >= NODES) leases = nowMs() - t0;
    }
    return !Number.isNaN(leases) && await readyNodes(c) >= NODES && (await runningAppPods(c)).length >= 2;
  }, 120_000, 'the nodes back (Leases renewed) and the app Running', POLL_MS);
  await pollUntil(() => dnsAnswers(s, c), 60_000, `${FQDN} answering from a pod after the restart`, POLL_MS);
  return { api, leases, all: nowMs() - t0 };
}

export async function benchFirstCluster({ serveBundle }: BenchFirstClusterOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench first-cluster must run as root: sandbox nodes need network namespaces, cgroups, mounts and containerd');
  const t0 = nowMs();
  console.log(`started ${new Date().toISOString()}`);
  const s = await startBenchServe({ prefix: 'flotilla-bench-first-', args: ['--nodes', String(NODES)], bundle: serveBundle });
  let cold: Cold;
  let warm: Warm;
  try {
    cold = await coldStart(s, t0);
    warm = await warmRestart(s);
  } catch (e) {
    console.error(s.output().slice(-4000));
    throw e;
  } finally {
    await s.cleanup();
  }
  const sec = (ms: number): number => round(ms / 1000, 2);
  printTable([['stage (cold: serve --nodes 2 on an empty data dir)', 'seconds', 'target'],
    ['API answering', sec(cold.api), ''], [`${NODES} nodes Ready`, sec(cold.nodes), ''], ['2-replica Deployment Running', sec(cold.app), ''],
    [`${FQDN} answering from a pod (kubectl exec nslookup)`, sec(cold.dns), '<= 5'],
    ['warm restart: API answering', sec(warm.api), ''], ['warm restart: every agent renewed its Lease', sec(warm.leases), ''],
    ['warm restart: nodes Ready, app Running, DNS answering', sec(warm.all), '<= 2']]);
  console.log('');
  printTable([['machine', 'step first seen', 'seconds'], ...[...cold.steps].sort((a, b) => a[1] - b[1]).map(([k, ms]) => [...k.split('\t'), sec(ms)])]);
  printResult({
    bench: 'first-cluster', nodes: NODES, api_s: sec(cold.api), nodes_ready_s: sec(cold.nodes), app_running_s: sec(cold.app), dns_s: sec(cold.dns),
    warm_restart_s: sec(warm.all), warm_api_s: sec(warm.api), warm_leases_s: sec(warm.leases), target_s: 5, target_warm_s: 2,
  });
}
