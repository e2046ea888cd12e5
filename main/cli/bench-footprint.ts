// `flotilla bench footprint [--seconds 60] [--pods 100] [--hollow-pods 1000]`: what a running cluster costs. A real
// `flotilla serve --nodes 2` (child process, own data dir and sandbox network): once both nodes are Ready and it has
// settled, RSS of the control plane and of each node's processes by role (agent, containerd, shims, sshd, pods —
// found by the node's cgroup) and CPU over --seconds, first idle, then with --pods pods Running. Each window begins
// when the cluster is at rest: its CPU over successive 10 s steps has stopped falling (start-up's work and V8's
// post-start-up collections are over), and the table says how long that took and what start-up cost. Then a second
// serve with hollow nodes only: control plane RSS with --hollow-pods pods Running. Prints tables, then the JSON line.
import * as fs from 'node:fs';
import type { Deployment, KObject, Machine, Pod } from '../api/types';
import type { HttpClient } from '../client/http';
import { R } from '../client/refs';
import { readNodeState } from '../nodes/providers/sandbox/node-state';
import { startBenchServe, type BenchServe } from './bench-serve';
import { cgroupCpuSeconds, processCpuSeconds, sampleNode, sampleProcess, type RoleUsage } from './bench-process-usage';
import { nowMs, printResult, printTable, round } from './bench-report';
import type { BenchFootprintOptions } from './commands';
import { PollFailure, pollUntil } from '../protocol/poll';

const NODES = 2;
const NS = 'default';
/** Hollow nodes' RSS only: after the deployment, before RSS is read. */
const SETTLE_MS = 15_000;
/**
 * Rest: the cluster's CPU in steps of REST_STEP_MS; at rest when the median of the last REST_GROUP steps is at least
 * REST_RATIO of the median of the REST_GROUP before (it stopped falling; medians, so one step's burst decides nothing).
 */
const REST_STEP_MS = 10_000;
const REST_GROUP = 3;
const REST_RATIO = 0.9;
/** Never wait longer than this for rest (the window then starts anyway, and says so). */
const REST_MAX_MS = 300_000;
/** At least this long (a start-up's status reports, first lease renewals and image checks are over). */
const REST_MIN_MS = 60_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How a window's start was chosen. */
interface Rest {
  /** Seconds from the change (nodes Ready, pods Running) to the window's start. */
  waitedS: number;
  /** False: REST_MAX_MS passed first. */
  reached: boolean;
  /** The cluster's CPU (% of a core) of each step. */
  stepsPct: number[];
  /** The cluster's CPU over the whole wait: what start-up (or the change) cost before rest. */
  waitPct: number;
}

interface Window {
  label: string;
  rest: Rest;
  controlPlaneMiB: number;
  controlPlanePrivateMiB: number;
  controlPlaneCpuPct: number;
  /** Per node: roles' RSS (MiB) and the node cgroup's CPU (% of one core). */
  nodes: Array<{ name: string; roles: RoleUsage; cpuPct: number; roleCpuPct: Map<string, number> }>;
  clusterCpuPct: number;
}

function ready(o: KObject): boolean {
  const conds = (o.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

async function nodeCgroups(s: BenchServe, c: HttpClient): Promise<Array<{ name: string; cgroup: string }>> {
  const machines = (await c.list<Machine & KObject>(R.machines)).items;
  return machines.map((m) => {
    const name = m.metadata?.name ?? '';
    const st = readNodeState(s.dataDir, name);
    if (!st) throw new Error(`no sandbox state for machine ${name}`);
    return { name, cgroup: st.cgroup };
  });
}

/** CPU seconds of every thread of a process, from schedstat (nanoseconds; /proc/<pid>/stat's ticks are 10 ms, too coarse for 10 s steps). */
function processCpuNs(pid: number): number {
  let ns = 0;
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try { ns += Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]); } catch { /* the thread ended */ }
  }
  return ns / 1e9;
}

/**
 * Waits, without touching the API, until the cluster (control plane and the nodes' cgroups) is at rest: its CPU over
 * REST_STEP_MS steps has stopped falling (the median of the last REST_GROUP steps ≥ REST_RATIO × the median of the
 * REST_GROUP before), after REST_MIN_MS.
 */
async function waitForRest(s: BenchServe, nodes: Array<{ name: string; cgroup: string }>): Promise<Rest> {
  const cpu = (): number => processCpuNs(s.pid()) + nodes.reduce((a, n) => a + cgroupCpuSeconds(n.cgroup), 0);
  const t0 = nowMs();
  const c0 = cpu();
  const stepsPct: number[] = [];
  let prev = { t: t0, c: c0 };
  for (;;) {
    await new Promise((r) => setTimeout(r, REST_STEP_MS)); // a measurement step, not a synchronisation
    const cur = { t: nowMs(), c: cpu() };
    stepsPct.push(((cur.c - prev.c) / ((cur.t - prev.t) / 1000)) * 100);
    prev = cur;
    const n = stepsPct.length;
    const waited = cur.t - t0;
    const rest = n >= 2 * REST_GROUP && waited >= REST_MIN_MS
      && median(stepsPct.slice(n - REST_GROUP)) >= REST_RATIO * median(stepsPct.slice(n - 2 * REST_GROUP, n - REST_GROUP));
    if (rest || waited >= REST_MAX_MS) {
      return { waitedS: waited / 1000, reached: rest, stepsPct, waitPct: ((cur.c - c0) / (waited / 1000)) * 100 };
    }
  }
}

/** Measures the control plane and the nodes over `seconds`, without touching the API meanwhile. */
async function measure(label: string, rest: Rest, s: BenchServe, nodes: Array<{ name: string; cgroup: string }>, seconds: number): Promise<Window> {
  const pid = s.pid();
  const cp0 = processCpuSeconds(pid);
  const cg0 = nodes.map((n) => cgroupCpuSeconds(n.cgroup));
  const roles0 = nodes.map((n) => sampleNode(n.cgroup));
  const t0 = nowMs();
  await new Promise((r) => setTimeout(r, seconds * 1000)); // the measurement window itself, not a synchronisation
  const el = (nowMs() - t0) / 1000;
  const pct = (cpuS: number): number => (cpuS / el) * 100;
  const cp = sampleProcess(pid);
  const cpMiB = (cp?.rssKiB ?? NaN) / 1024;
  const controlPlaneCpuPct = pct(processCpuSeconds(pid) - cp0);
  const out = nodes.map((n, i) => {
    const roles = sampleNode(n.cgroup);
    const roleCpuPct = new Map([...roles].map(([r, u]) => [r, pct(u.cpuS - (roles0[i]?.get(r)?.cpuS ?? 0))]));
    return { name: n.name, roles, cpuPct: pct(cgroupCpuSeconds(n.cgroup) - (cg0[i] ?? NaN)), roleCpuPct };
  });
  return {
    label, rest, controlPlaneMiB: cpMiB, controlPlanePrivateMiB: (cp?.privateKiB ?? NaN) / 1024, controlPlaneCpuPct, nodes: out,
    clusterCpuPct: controlPlaneCpuPct + out.reduce((a, n) => a + n.cpuPct, 0),
  };
}

function deployment(name: string, replicas: number): Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'hello', image: 'docker.io/flotilla/hello:1' }] } },
    },
  };
}

async function runDeployment(c: HttpClient, name: string, replicas: number, timeoutMs: number): Promise<void> {
  await c.create(R.deployments, deployment(name, replicas), { namespace: NS });
  await pollUntil(async () => {
    const pods = (await c.list<Pod & KObject>(R.pods, { namespace: NS, labelSelector: `app=${name}` })).items;
    return pods.filter((p) => p.status?.phase === 'Running').length >= replicas;
  }, timeoutMs, `${replicas} pods of ${name} Running`, 500);
}

async function realNodes(seconds: number, pods: number, bundle: string | undefined): Promise<Window[]> {
  const s = await startBenchServe({ prefix: 'flotilla-bench-footprint-', args: ['--nodes', String(NODES)], bundle });
  try {
    const c = await s.waitForApi(60_000);
    await pollUntil(async () => {
      const ms = (await c.list<Machine & KObject>(R.machines)).items;
      const failed = ms.find((m) => m.status?.phase === 'Failed');
      if (failed) throw new PollFailure(`machine ${failed.metadata?.name ?? ''} failed: ${failed.status?.message ?? ''}`);
      return ms.length >= NODES && ms.every((m) => m.status?.phase === 'Running') && (await c.list(R.nodes)).items.filter(ready).length >= NODES;
    }, 180_000, `${NODES} nodes Ready`, 200);
    const nodes = await nodeCgroups(s, c);
    const idle = await measure(`idle, ${NODES} nodes`, await waitForRest(s, nodes), s, nodes, seconds);
    const out = [idle];
    if (pods > 0) {
      await runDeployment(c, 'footprint', pods, 300_000);
      out.push(await measure(`${pods} pods Running`, await waitForRest(s, nodes), s, nodes, seconds));
    }
    return out;
  } catch (e) {
    console.error(s.output().slice(-4000));
    throw e;
  } finally {
    await s.cleanup();
  }
}

/** Control plane RSS (MiB) with `pods` pods Running on hollow nodes (no real node). */
async function hollowPods(pods: number, bundle: string | undefined): Promise<number> {
  const hollow = Math.max(1, Math.ceil(pods / 100));
  const s = await startBenchServe({ prefix: 'flotilla-bench-footprint-hollow-', args: ['--hollow-nodes', String(hollow)], bundle });
  try {
    const c = await s.waitForApi(60_000);
    await pollUntil(async () => (await c.list(R.nodes)).items.filter(ready).length >= hollow, 120_000, `${hollow} hollow nodes Ready`, 200);
    await runDeployment(c, 'footprint', pods, 300_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return (sampleProcess(s.pid())?.rssKiB ?? NaN) / 1024;
  } finally {
    await s.cleanup();
  }
}

const ROLES = ['agent', 'containerd', 'shims', 'sshd', 'supervisors', 'pods'];

function print(windows: Window[], seconds: number): void {
  const rows: Array<Array<string | number>> = [['process', ...windows.flatMap((w) => [`${w.label}: RSS / private MiB`, `CPU % of a core over ${seconds} s`])]];
  rows.push(['control plane (flotilla serve)', ...windows.flatMap((w) => [`${round(w.controlPlaneMiB, 1)} / ${round(w.controlPlanePrivateMiB, 1)}`, round(w.controlPlaneCpuPct, 2)])]);
  const names = windows[0]?.nodes.map((n) => n.name) ?? [];
  for (const [i, name] of names.entries()) {
    for (const role of ROLES) {
      rows.push([`${name} ${role}`, ...windows.flatMap((w) => {
        const u = w.nodes[i]?.roles.get(role);
        return [u ? `${round(u.rssMiB, 1)} / ${round(u.privateMiB, 1)} (${u.count})` : '-', round(w.nodes[i]?.roleCpuPct.get(role) ?? 0, 2)];
      })]);
    }
    rows.push([`${name} whole cgroup (CPU)`, ...windows.flatMap((w) => ['', round(w.nodes[i]?.cpuPct ?? NaN, 2)])]);
  }
  rows.push(['whole cluster', ...windows.flatMap((w) => ['', round(w.clusterCpuPct, 2)])]);
  printTable(rows);
  for (const w of windows) {
    const r = w.rest;
    console.log(`\n${w.label}: the window began ${round(r.waitedS, 0)} s after the change, `
      + (r.reached ? `when the cluster's CPU over ${REST_STEP_MS / 1000} s steps had stopped falling (the median of the last ${REST_GROUP} steps within ${Math.round((1 - REST_RATIO) * 100)} % of, or above, the ${REST_GROUP} before)`
        : `when ${REST_MAX_MS / 1000} s had passed without the cluster's CPU ceasing to fall`)
      + `; steps ${r.stepsPct.map((p) => round(p, 2)).join(', ')} %; the whole wait (start-up) cost ${round(r.waitPct, 2)} % of a core.`);
  }
}

const maxRole = (w: Window | undefined, role: string, of: 'rssMiB' | 'privateMiB' = 'rssMiB'): number =>
  Math.max(...(w?.nodes ?? []).map((n) => n.roles.get(role)?.[of] ?? 0));

export async function benchFootprint({ seconds, pods, hollowPods: hollow, serveBundle }: BenchFootprintOptions): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench footprint must run as root: sandbox nodes need network namespaces, cgroups, mounts and containerd');
  const windows = await realNodes(seconds, pods, serveBundle);
  const rss1000 = hollow > 0 ? await hollowPods(hollow, serveBundle) : NaN;
  print(windows, seconds);
  if (hollow > 0) console.log(`\ncontrol plane RSS with ${hollow} pods Running on hollow nodes (in the same process): ${round(rss1000, 1)} MiB`);
  const [idle, loaded] = windows;
  printResult({
    bench: 'footprint', nodes: NODES, seconds,
    control_plane_rss_mb: round(idle?.controlPlaneMiB ?? NaN, 1), agent_rss_mb: round(maxRole(idle, 'agent'), 1),
    control_plane_private_mb: round(idle?.controlPlanePrivateMiB ?? NaN, 1), agent_private_mb: round(maxRole(idle, 'agent', 'privateMiB'), 1),
    containerd_rss_mb: round(maxRole(idle, 'containerd'), 1), sshd_rss_mb: round(maxRole(idle, 'sshd'), 1),
    idle_cpu_pct: round(idle?.clusterCpuPct ?? NaN, 2), control_plane_idle_cpu_pct: round(idle?.controlPlaneCpuPct ?? NaN, 2),
    rest_wait_s: round(idle?.rest.waitedS ?? NaN, 0), rest_reached: idle?.rest.reached, startup_cpu_pct: round(idle?.rest.waitPct ?? NaN, 2),
    ...(loaded ? {
      pods, control_plane_rss_pods_mb: round(loaded.controlPlaneMiB, 1), agent_rss_pods_mb: round(maxRole(loaded, 'agent'), 1),
      shims_rss_pods_mb: round(maxRole(loaded, 'shims'), 1), cpu_pods_pct: round(loaded.clusterCpuPct, 2),
    } : {}),
    ...(hollow > 0 ? { hollow_pods: hollow, rss_1000_pods_mb: round(rss1000, 1) } : {}),
    target_control_plane_rss_mb: 150, target_rss_1000_pods_mb: 250, target_agent_rss_mb: 50, target_idle_cpu_pct: 1,
  });
}
