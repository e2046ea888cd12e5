// `flotilla bench pod-startup [--pods 20] [--burst N]`: pod create → Running as a watch sees it, on a private
// control plane (temp data dir, own bridge/subnet/prefix) with one sandbox node; pods pinned with
// spec.nodeName and created one after another, plain and (a second row) with a configMap, a secret, an
// emptyDir and the service account token mounted. In the same run, on the same node, the floors: the
// raw CRI sequence (RunPodSandbox with the agent's own sandbox config → CreateContainer →
// StartContainer) and `ctr run -d`, interleaved with the Flotilla pods so load drift hits all three
// alike. Everything is removed afterwards, also on failure. Prints a table, then the JSON line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Pod } from 'kubernetes-types/core/v1';
import type { BenchPodStartupOptions } from './commands';
import { startCore, type Core } from '../core';
import type { KObject, Machine } from '../api/types';
import { R } from '../client/refs';
import { freeSubnet, stopBenchCluster } from './bench-sandbox';
import { defaultAgentBundle, imageTarballs } from '../nodes/artifacts';
import { NODE } from '../nodes/node-paths';
import { hostPathOf, readNodeState } from '../nodes/providers/sandbox/node-state';
import { enterArgv } from '../nodes/providers/sandbox/node';
import type { AgentConfig } from '../protocol/agent-config';
import { CriClient } from '../../vm-images/agent/cri/client';
import { containerConfig, sandboxConfig, type SandboxOptions } from '../../vm-images/agent/pods/runtime-config';
import { podLogDir } from '../../vm-images/agent/pods/log-paths';
import { removeCgroup } from '../../vm-images/agent/pods/cgroups';
import { LABEL_MANAGED, LABEL_POD_UID } from '../../vm-images/agent/pods/labels';
import { nsToMs } from '../../vm-images/agent/pods/runtime-state';
import { nowMs, percentile, printResult, printTable } from './bench-report';
import { PollFailure, pollUntil } from '../protocol/poll';

const IMAGE = 'docker.io/flotilla/hello:1';
const NS = 'default';
/** Set by SIGINT/SIGTERM: every wait gives up, and the finally blocks clean up. */
let interrupted = false;

/** pollUntil that also gives up at once when the bench is interrupted. */
function until<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, everyMs = 5): Promise<T> {
  return pollUntil(() => {
    if (interrupted) throw new PollFailure(`interrupted while waiting for ${what}`);
    return fn();
  }, timeoutMs, what, everyMs);
}

/** Where the time went, from containerd's own timestamps: ms since t0 at RunPodSandbox received, container created, started; and the end. */
interface Phases { sandbox: number; created: number; started: number; end: number }

async function phases(cri: CriClient, uid: string, t0: number, end: number): Promise<Phases> {
  const [box] = await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid } });
  const [c] = await cri.listContainers({ label_selector: { [LABEL_POD_UID]: uid } });
  if (!box || !c) throw new Error(`pod ${uid}: no sandbox or container in the runtime`);
  const st = await cri.containerStatus(c.id);
  return { sandbox: nsToMs(box.created_at) - t0, created: nsToMs(st.created_at) - t0, started: nsToMs(st.started_at) - t0, end: end - t0 };
}

function run(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(argv[0], argv.slice(1), { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${argv.join(' ')}: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** Times from a watch: when each pod was first seen Running, and which pods were deleted. */
class PodTimes {
  readonly running = new Map<string, number>();
  readonly deleted = new Set<string>();
  readonly noIP = new Set<string>();
  private readonly stop: () => void;
  constructor(core: Core, node: string) {
    const h = core.client.watch<Pod & KObject>(R.pods, { namespace: NS, fieldSelector: `spec.nodeName=${node}` }, (ev) => {
      const name = ev.object.metadata?.name ?? '';
      if (ev.type === 'DELETED') this.deleted.add(name);
      else if (ev.object.status?.phase === 'Running' && !this.running.has(name)) {
        this.running.set(name, nowMs());
        if (!ev.object.status.podIP) this.noIP.add(name);
      }
    }, () => undefined);
    this.stop = () => h.stop();
  }
  close(): void { this.stop(); }
}

interface Node { name: string; cri: CriClient; sock: string; enter: string[]; config: AgentConfig; sandbox: SandboxOptions; hostPath: (p: string) => string }

async function startNode(core: Core): Promise<Node> {
  if (!core.nodes) throw new Error('the core was started without a node manager');
  const [name] = await core.nodes.ensureNodes(1, 'sandbox');
  if (!name) throw new Error('no machine was created');
  await until(async () => {
    const m = await core.client.get<Machine & KObject>(R.machines, name);
    if (m.status?.phase === 'Failed') throw new PollFailure(`machine ${name} failed: ${m.status.message ?? ''}`);
    if (m.status?.phase !== 'Running') return undefined;
    const n = await core.client.get<KObject>(R.nodes, name).catch(() => undefined);
    const conds = (n?.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
    return conds.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined;
  }, 180_000, `node ${name} Ready`, 50);
  const hostPath = (p: string): string => {
    const h = hostPathOf(core.dataDir, name, p);
    if (!h) throw new Error(`${p} of node ${name} is not reachable from the host`);
    return h;
  };
  const config = JSON.parse(fs.readFileSync(hostPath(NODE.agentConfig), 'utf8')) as AgentConfig;
  const sock = hostPath(config.containerdSocket);
  const state = readNodeState(core.dataDir, name);
  if (!state) throw new Error(`no sandbox state for node ${name}`);
  return {
    name, config, sock, cri: new CriClient(sock), hostPath, enter: enterArgv(core.dataDir, state),
    sandbox: { logDir: config.logDir, cgroupParent: config.cgroupParent || undefined },
  };
}

/** The ConfigMap and Secret the volume pods mount. */
const BENCH_CONFIG = 'bench-config';
const BENCH_SECRET = 'bench-secret';

/**
 * A bench pod: plain (no volumes, no service account token), or with volumes — a configMap, a secret, an
 * emptyDir and the service account token volume the API server's admission adds.
 */
function benchPod(name: string, node: string, volumes = false): Pod {
  const hello = { name: 'hello', image: IMAGE };
  const spec: NonNullable<Pod['spec']> = volumes
    ? {
      nodeName: node, terminationGracePeriodSeconds: 0,
      volumes: [{ name: 'config', configMap: { name: BENCH_CONFIG } }, { name: 'secret', secret: { secretName: BENCH_SECRET } }, { name: 'scratch', emptyDir: {} }],
      containers: [{ ...hello, volumeMounts: [{ name: 'config', mountPath: '/etc/config' }, { name: 'secret', mountPath: '/etc/secret' }, { name: 'scratch', mountPath: '/scratch' }] }],
    }
    : { nodeName: node, terminationGracePeriodSeconds: 0, automountServiceAccountToken: false, containers: [hello] };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS, labels: { 'flotilla.dev/bench': 'pod-startup' } }, spec };
}

async function createVolumeSources(core: Core): Promise<void> {
  const meta = (name: string): KObject['metadata'] => ({ name, namespace: NS });
  await core.client.create<KObject>(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(BENCH_CONFIG), data: { 'app.conf': 'x=1' } }, { namespace: NS });
  await core.client.create<KObject>(R.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: meta(BENCH_SECRET), stringData: { password: 'bench' } }, { namespace: NS });
}

/** The projected token volume the admission injected into a created pod (whether the cluster serves service accounts). */
function hasTokenVolume(pod: KObject): boolean {
  return ((pod as Pod).spec?.volumes ?? []).some((v) => v.projected?.sources?.some((s) => s.serviceAccountToken));
}

/** One pod through the API: create → Running seen by the watch; then deleted and gone from the runtime. */
async function flotillaPod(core: Core, node: Node, times: PodTimes, name: string, volumes = false, onCreated?: (pod: KObject) => void): Promise<Phases> {
  const t0 = nowMs();
  const created = await core.client.create<KObject>(R.pods, { ...benchPod(name, node.name, volumes) }, { namespace: NS });
  onCreated?.(created);
  const end = await until(() => times.running.get(name), 60_000, `pod ${name} Running`);
  if (times.noIP.has(name)) throw new Error(`pod ${name} is Running without a pod IP`);
  const uid = created.metadata?.uid ?? '';
  const ph = await phases(node.cri, uid, t0, end);
  await removePod(core, node, times, name, uid);
  return ph;
}

async function removePod(core: Core, node: Node, times: PodTimes, name: string, uid: string): Promise<void> {
  await core.client.delete(R.pods, name, { namespace: NS });
  await until(async () => (times.deleted.has(name) && (await node.cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: uid } })).length === 0 ? true : undefined), 60_000, `pod ${name} removed`, 20);
}

/** Optional: `pods` pods created at once; wall time until the watch has seen all Running. */
async function burst(core: Core, node: Node, times: PodTimes, pods: number): Promise<number> {
  const names = Array.from({ length: pods }, (_, i) => `burst-${i + 1}`);
  const t0 = nowMs();
  const created = await Promise.all(names.map((n) => core.client.create<KObject>(R.pods, { ...benchPod(n, node.name) }, { namespace: NS })));
  const last = await until(() => (names.every((n) => times.running.has(n)) ? Math.max(...names.map((n) => times.running.get(n) ?? 0)) : undefined), 120_000, 'burst pods Running', 10);
  await Promise.all(names.map((n, i) => removePod(core, node, times, n, created[i]?.metadata?.uid ?? '')));
  return last - t0;
}

/** The raw CRI floor: the agent's sandbox and container configs for the same pod, straight to containerd. */
async function criPod(node: Node, name: string): Promise<Phases> {
  const uid = randomUUID();
  const container = { name: 'hello', image: IMAGE };
  const pod: Pod = { ...benchPod(name, node.name), metadata: { name, namespace: NS, uid } };
  const sbx = sandboxConfig(pod, 0, node.sandbox);
  sbx.labels = { ...sbx.labels, [LABEL_MANAGED]: 'bench' }; // not the agent's: it must never adopt or clean these
  const ccfg = containerConfig(pod, container, 'app', 0, IMAGE, []);
  ccfg.labels = { ...ccfg.labels, [LABEL_MANAGED]: 'bench' };
  const logDir = node.hostPath(podLogDir(node.sandbox.logDir, { name, namespace: NS, uid }));
  fs.mkdirSync(path.join(logDir, container.name), { recursive: true });
  let id = '';
  try {
    const t0 = nowMs();
    id = await node.cri.runPodSandbox(sbx);
    const cid = await node.cri.createContainer(id, ccfg, sbx);
    await node.cri.startContainer(cid);
    const end = nowMs();
    const ip = (await node.cri.podSandboxStatus(id)).network?.ip;
    if (!ip) throw new Error(`raw CRI sandbox ${name} has no pod IP: not on the CNI network`);
    return await phases(node.cri, uid, t0, end);
  } finally {
    if (id) {
      await node.cri.stopPodSandbox(id);
      await node.cri.removePodSandbox(id);
    }
    if (node.sandbox.cgroupParent) removeCgroup(`${node.sandbox.cgroupParent}/pod${uid}`);
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

/** For reference: `ctr run -d` of the same image (no CNI), in a cgroup under the node's. ctr runs in the
 * node's namespaces (nsenter): it mounts the snapshot itself to read /etc/group, and the snapshots'
 * directories exist only in the node's mount namespace. */
async function ctrRun(node: Node, id: string): Promise<number> {
  const ctr = [...node.enter, 'ctr', '--address', node.config.containerdSocket, '-n', 'k8s.io'];
  const cgroup = `${node.config.cgroupParent || `/${node.name}`}/${id}`;
  try {
    const t0 = nowMs();
    await run([...ctr, 'run', '-d', '--cgroup', cgroup, IMAGE, id]);
    return nowMs() - t0;
  } finally {
    await run([...ctr, 'task', 'kill', '-s', 'SIGKILL', id]).catch(() => undefined);
    await until(async () => {
      const line = (await run([...ctr, 'task', 'ls'])).split('\n').find((l) => l.split(/\s+/)[0] === id);
      return !line || /\bSTOPPED\b/.test(line) ? true : undefined;
    }, 30_000, `ctr task ${id} stopped`, 10);
    await run([...ctr, 'task', 'delete', id]).catch(() => undefined);
    await run([...ctr, 'container', 'delete', id]).catch((e: unknown) => {
      if (!/not found/.test(String(e))) console.error(`cleanup: ${String(e)}`);
    });
    removeCgroup(cgroup);
  }
}

async function teardown(core: Core, dir: string, node: Node | undefined, times: PodTimes | undefined): Promise<void> {
  times?.close();
  const pods = await core.client.list(R.pods, { namespace: NS }).catch(() => ({ items: [] as KObject[] }));
  for (const p of pods.items) await core.client.delete(R.pods, p.metadata?.name ?? '', { namespace: NS, gracePeriodSeconds: 0 }).catch(() => undefined);
  node?.cri.close();
  await stopBenchCluster(core, dir);
}

export async function benchPodStartup({ pods, burst: burstPods, tracing, metrics, overhead }: BenchPodStartupOptions): Promise<void> {
  if (overhead > 0) return (await import('./bench-overhead')).benchOverhead('pod-startup', overhead, ['--pods', String(pods), '--burst', String(burstPods)]);
  if (process.getuid?.() !== 0) throw new Error('bench pod-startup must run as root: sandbox nodes need network namespaces, cgroups, mounts and containerd');
  if (!fs.existsSync(defaultAgentBundle())) throw new Error(`no agent bundle at ${defaultAgentBundle()}: run npm run build first`);
  let burstMs = NaN;
  const id = `fltp${process.pid % 10000}`;
  const subnet = await freeSubnet();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-bench-pods-'));
  let core: Core;
  try {
    core = await startCore({
      dataDir: path.join(dir, 'data'), apiPort: 0, log: () => undefined,
      nodes: { sandbox: { bridge: id, subnet, prefix: id }, readyTimeoutMs: 120_000 }, tracing: { enabled: tracing }, metrics,
    });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const flo: Phases[] = [];
  const vol: Phases[] = [];
  let tokenVolumes = 0;
  const countToken = (p: KObject): void => { if (hasTokenVolume(p)) tokenVolumes++; };
  const cri: Phases[] = [];
  const ctr: number[] = [];
  let node: Node | undefined;
  let times: PodTimes | undefined;
  interrupted = false;
  const onSignal = (): void => { interrupted = true; };
  process.on('SIGINT', onSignal); // on, not once: Ctrl-C reaches us twice (the group, and tsx relaying it)
  process.on('SIGTERM', onSignal);
  try {
    await imageTarballs(core.dataDir);
    node = await startNode(core);
    times = new PodTimes(core, node.name);
    await createVolumeSources(core);
    // Warm-up (not counted): one of each.
    await flotillaPod(core, node, times, 'warmup');
    await flotillaPod(core, node, times, 'vol-warmup', true);
    await criPod(node, 'raw-warmup');
    await ctrRun(node, `${id}-ctr-warmup`);
    for (let i = 1; i <= pods && !interrupted; i++) {
      flo.push(await flotillaPod(core, node, times, `pod-${i}`));
      vol.push(await flotillaPod(core, node, times, `vol-${i}`, true, countToken));
      cri.push(await criPod(node, `raw-${i}`));
      ctr.push(await ctrRun(node, `${id}-ctr-${i}`));
    }
    if (burstPods > 0 && !interrupted) burstMs = await burst(core, node, times, burstPods);
    if (interrupted) throw new Error('interrupted');
  } catch (e) {
    throw interrupted ? new Error('interrupted; the bench node and data dir are removed') : e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown(core, dir, node, times);
  }
  const floMs = flo.map((p) => p.end);
  const volMs = vol.map((p) => p.end);
  const criMs = cri.map((p) => p.end);
  const tokens = tokenVolumes === vol.length;
  const rows: Array<Array<string | number>> = [['path', 'n', 'p50_ms', 'p99_ms', 'min_ms', 'max_ms']];
  const line = (label: string, v: number[]): void => { rows.push([label, v.length, percentile(v, 50), percentile(v, 99), Math.min(...v), Math.max(...v)]); };
  line('flotilla (API create → watch Running)', floMs);
  line(`flotilla + configMap, secret, emptyDir${tokens ? ', SA token' : ''} volumes`, volMs);
  line('raw CRI (sandbox+create+start)', criMs);
  line('ctr run -d', ctr);
  if (burstPods > 0) rows.push([`burst: ${burstPods} at once → all Running (wall)`, burstPods, burstMs, '', '', '']);
  printTable(rows);
  console.log('');
  const med = (v: Phases[], f: (p: Phases) => number): number => percentile(v.map(f), 50);
  const split = (label: string, v: Phases[]): Array<string | number> => [label, med(v, (p) => p.sandbox), med(v, (p) => p.created - p.sandbox),
    med(v, (p) => p.started - p.created), med(v, (p) => p.end - p.started)];
  printTable([['p50 per phase (containerd timestamps)', 'to_RunPodSandbox', 'sandbox+CreateContainer', 'StartContainer', 'started_to_end'],
    split('flotilla (end: watch sees Running)', flo), split('flotilla with volumes', vol), split('raw CRI (end: StartContainer returned)', cri)]);
  const p50 = percentile(floMs, 50);
  const volP50 = percentile(volMs, 50);
  const criP50 = percentile(criMs, 50);
  printResult({
    bench: 'pod-startup', tracing, metrics, pods, placement: 'spec.nodeName', order: 'sequential',
    p50_ms: Math.round(p50), p99_ms: Math.round(percentile(floMs, 99)),
    cri_p50_ms: Math.round(criP50), ctr_p50_ms: Math.round(percentile(ctr, 50)),
    ratio_p50: Math.round((p50 / criP50) * 100) / 100, target_ratio_p50: 1.3, target_p99_ms: 1500,
    volumes_p50_ms: Math.round(volP50), volumes_p99_ms: Math.round(percentile(volMs, 99)),
    volumes_ratio_p50: Math.round((volP50 / criP50) * 100) / 100, volumes_sa_token: tokens,
    ...(burstPods > 0 ? { burst_pods: burstPods, burst_wall_ms: Math.round(burstMs) } : {}),
  });
}
