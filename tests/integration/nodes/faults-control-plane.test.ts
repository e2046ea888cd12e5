// kill -9 of the control plane in the middle of a rolling update (issue 18), with real processes: `flotilla serve
// --nodes 2` in a child process, a 20-replica Deployment on two sandbox nodes, a rollout under way while a client writes
// ConfigMaps in a loop; serve is SIGKILLed by PID and started again on the same data dir. As when kube-apiserver and
// kube-controller-manager die under running kubelets: the nodes keep their pods, the restarted server re-attaches them
// (SSH, tunnels; no pod recreated), and the Deployment controller resumes the rollout from the stored ReplicaSets — no
// third ReplicaSet, maxSurge and maxUnavailable held before and after, every pod it had already made kept. Every write
// the client got a 2xx for is there after the restart (the store: SQLite WAL, synchronous=NORMAL, which survives the
// death of the process). containerd on each node runs exactly the pods the API binds to it, no more.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Node, Pod as CorePod } from 'kubernetes-types/core/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { downMachines } from '../../../main/nodes/down';
import { hostPathFor } from '../../../main/nodes/providers/sandbox/node-state';
import { startServe, type ServeProcess } from '../../e2e/support/serve-process';
import { waitFor } from '../../helpers/wait';
import { leftovers, skipWithoutAgent, uniqueSandbox } from './support';
import { runtimeInventory, runtimeMismatches } from './runtime-inventory';
import { readyForPods } from '../../helpers/node-ready';

type P = CorePod & KObject;
type Rs = ReplicaSet & KObject;
type D = Deployment & KObject;

const REPLICAS = 20;
const MAX_SURGE = 3;
const MAX_UNAVAILABLE = 2;
const NS = 'default';
const APP = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'roll', namespace: NS },
  spec: {
    replicas: REPLICAS, selector: { matchLabels: { app: 'roll' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: MAX_SURGE, maxUnavailable: MAX_UNAVAILABLE } },
    template: {
      metadata: { labels: { app: 'roll' } },
      spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] },
    },
  },
};

const cfg = uniqueSandbox(18);
const sandboxEnv = { FLOTILLA_SANDBOX_BRIDGE: cfg.bridge, FLOTILLA_SANDBOX_SUBNET: cfg.subnet, FLOTILLA_SANDBOX_PREFIX: cfg.prefix };
const ARGS = ['--nodes', '2', '--provider', 'sandbox', '--host-routes', 'false'];

const ready = (p: P): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const live = (p: P): boolean => !p.metadata?.deletionTimestamp;

describe.skipIf(skipWithoutAgent)('kill -9 of the control plane during a rolling update of 20 pods on 2 sandbox nodes', { timeout: 240_000 }, () => {
  let serve: ServeProcess | undefined;
  let dir = '';
  let dataDir = '';
  let output = '';
  const violations: string[] = [];
  let sampling = true;
  let sampler: Promise<void> | undefined;

  const api = () => {
    if (!serve) throw new Error('serve is not running');
    return serve.client;
  };
  const pods = async (): Promise<P[]> => (await api().list<P>(R.pods, { namespace: NS, labelSelector: 'app=roll' })).items;
  const replicaSets = async (): Promise<Rs[]> => (await api().list<Rs>(R.replicasets, { namespace: NS, labelSelector: 'app=roll' })).items;
  const readyNodes = async (): Promise<number> => (await api().list<Node & KObject>(R.nodes)).items
    .filter(readyForPods).length;

  /** maxSurge and maxUnavailable, as the pods show them, whenever the API answers (from the first rollout on). */
  async function sample(): Promise<void> {
    while (sampling) {
      try {
        const all = (await pods()).filter(live);
        if (all.length > REPLICAS + MAX_SURGE) violations.push(`${all.length} pods (more than ${REPLICAS} + maxSurge ${MAX_SURGE})`);
        const avail = all.filter(ready).length;
        if (avail < REPLICAS - MAX_UNAVAILABLE) {
          // What the pods that are not ready show, so a failure names its cause.
          const notReady = all.filter((p) => !ready(p)).map((p) => {
            const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready');
            const st = p.status?.containerStatuses?.[0];
            return `${p.metadata?.name}@${p.spec?.nodeName ?? '-'} ${p.status?.phase}/${c?.status ?? '-'} ${c?.reason ?? ''} ${st ? Object.keys(st.state ?? {}).join() : 'no status'}`;
          });
          violations.push(`${new Date().toISOString()} ${avail} ready pods (fewer than ${REPLICAS} - maxUnavailable ${MAX_UNAVAILABLE}): ${notReady.join('; ')}`);
        }
      } catch { /* serve is down: nothing to see */ }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** What a stalled rollout shows: the Deployment's status, the nodes, the pods not ready, each agent's last log lines. */
  async function stateNow(): Promise<string> {
    const lines: string[] = [];
    try {
      const d = await api().get<D>(R.deployments, 'roll', NS);
      lines.push(`deployment status: ${JSON.stringify(d.status)}`);
      for (const n of (await api().list<Node & KObject>(R.nodes)).items) {
        const c = (n.status?.conditions ?? []).find((x) => x.type === 'Ready');
        lines.push(`node ${n.metadata?.name}: Ready=${c?.status} ${c?.reason ?? ''} since ${c?.lastTransitionTime ?? '-'}, heartbeat ${c?.lastHeartbeatTime ?? '-'}`);
      }
      for (const p of (await pods()).filter((x) => !ready(x))) {
        lines.push(`pod ${p.metadata?.name}@${p.spec?.nodeName ?? '-'} ${p.status?.phase} ${JSON.stringify(p.status?.containerStatuses?.[0]?.state ?? {})}${p.metadata?.deletionTimestamp ? ' (deleting)' : ''}`);
      }
    } catch (e) {
      lines.push(`the API did not answer: ${String(e)}`);
    }
    for (const node of ['node-1', 'node-2']) {
      const log = path.join(hostPathFor(dataDir, node, '/var/log/flotilla'), 'agent.log');
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').slice(-40).join('\n  ') : '(no log)';
      lines.push(`${node}'s agent log, last lines:\n  ${tail}`);
    }
    return lines.join('\n');
  }

  async function start(): Promise<void> {
    serve = await startServe(ARGS, 90_000, { env: sandboxEnv, dir: dir || undefined, apiPort: serve?.apiPort, uiPort: serve?.uiPort });
    dir = serve.dir;
    dataDir = path.join(dir, 'data');
  }

  /** The lines of a pod's node's containerd log about the pod's sandboxes: made, stopped, their shims gone. */
  function sandboxLog(p: P): string[] {
    const file = path.join(hostPathFor(dataDir, p.spec?.nodeName ?? '', '/var/log/flotilla'), 'containerd.log');
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
    const ids = lines.filter((l) => l.includes(`Name:${p.metadata?.name},`) && l.includes('returns sandbox id'))
      .map((l) => /returns sandbox id \\?"([0-9a-f]{64})/.exec(l)?.[1]).filter((id): id is string => !!id);
    return lines.filter((l) => l.includes(`Name:${p.metadata?.name},`) || ids.some((id) => l.includes(id))).map((l) => l.slice(0, 400));
  }

  /** Lines of a node's containerd and agent logs at or after `since` about the runtime's life: (re)starts, dead shims, errors. */
  function nodeLogSince(node: string, since: string): string[] {
    const dirOf = hostPathFor(dataDir, node, '/var/log/flotilla');
    const out: string[] = [];
    for (const name of ['containerd.log', 'agent.log']) {
      const file = path.join(dirOf, name);
      const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
      for (const l of lines) {
        const at = /time="([^"]+)"/.exec(l)?.[1] ?? /^(\d{4}-\d\d-\d\dT\S+)/.exec(l)?.[1] ?? '';
        if (at && at < since) continue;
        if (/exited with|starting containerd|successfully booted|dead shim|shim disconnected|level=(error|warning)|StopPodSandbox|RemovePodSandbox|sandbox|SandboxChanged|adopt/i.test(l)) out.push(`${name}: ${l.slice(0, 300)}`);
      }
    }
    return out.slice(-80);
  }

  /** SIGKILL by PID; resolves when the process is gone. */
  async function kill9(): Promise<void> {
    const s = serve;
    if (!s) return;
    output += s.output();
    process.kill(s.pid, 'SIGKILL');
    await waitFor(() => { try { process.kill(s.pid, 0); return false; } catch { return true; } }, 'serve to die', 10_000);
    s.client.close();
  }

  beforeAll(async () => {
    await start();
    await waitFor(async () => (await readyNodes()) === 2, 'two Ready nodes', 150_000, 250);
  }, 200_000);

  afterAll(async () => {
    sampling = false;
    await sampler;
    if (serve) { output += serve.output(); await serve.terminate(); }
    if (!dataDir) return;
    const r = await downMachines(dataDir);
    const left = leftovers(cfg, dataDir);
    if (left.length || r.errors.length || process.env.FLOTILLA_TEST_LOGS) console.error(output.slice(-8000));
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.errors).toEqual([]);
    expect(left).toEqual([]);
  }, 120_000);

  it('runs 20 pods, SIGKILLed mid-rollout resumes it after a restart: no pod lost or doubled, every acknowledged write kept', async () => {
    await api().create(R.deployments, APP, { namespace: NS });
    await waitFor(async () => (await pods()).filter((p) => live(p) && ready(p)).length === REPLICAS, `${REPLICAS} pods Ready`, 120_000, 250);
    sampler = sample();

    // The rollout: a new template (as `kubectl rollout restart` makes it).
    await api().patch(R.deployments, 'roll', { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } },
      'strategic', { namespace: NS });
    // A client writing while the server dies: each ConfigMap it got a 2xx for is recorded.
    const acked: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const name = `w-${i}`;
        try {
          await api().create(R.configmaps, { metadata: { name, namespace: NS }, data: { i: String(i) } }, { namespace: NS });
          acked.push(name);
        } catch {
          if (!writing) break;
          await new Promise((r) => setTimeout(r, 20)); // the server is going: do not spin
        }
      }
    })();
    // Kill while the new ReplicaSet has some of its pods ready and the old one still runs most.
    const newHash = await waitFor(async () => {
      const rss = await replicaSets();
      const fresh = rss.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2');
      const ok = fresh && (fresh.status?.readyReplicas ?? 0) >= 2 && (fresh.status?.readyReplicas ?? 0) < REPLICAS - 6;
      return ok ? fresh.metadata?.labels?.['pod-template-hash'] : undefined;
    }, 'the rollout under way (2 new pods ready)', 120_000, 50);
    const atKill = (await pods()).filter((p) => live(p) && p.metadata?.labels?.['pod-template-hash'] === newHash);
    const killedAt = new Date().toISOString();
    await kill9(); // the writer's request in flight dies with it (and is not counted)
    writing = false;
    await writer;
    expect(acked.length).toBeGreaterThan(0);
    const madeBefore = new Map(atKill.map((p) => [p.metadata?.uid ?? '', p.metadata?.name ?? '']));
    expect(madeBefore.size).toBeGreaterThanOrEqual(2);
    if (process.env.FLOTILLA_TEST_LOGS) console.error(`at the kill: ${madeBefore.size} new pods, ${acked.length} writes acknowledged`);

    // With the control plane dead, the nodes keep running what they ran (as kubelets do when the apiserver is gone): the new
    // ReplicaSet's pods (the old one's may be being deleted as it dies).
    const runningNow = new Set<string>();
    for (const node of ['node-1', 'node-2']) for (const c of (await runtimeInventory(dataDir, node)).containers) if (c.running) runningNow.add(c.uid);
    const runningAtKill = atKill.filter((p) => p.status?.containerStatuses?.[0]?.state?.running);
    expect(runningAtKill.filter((p) => !runningNow.has(p.metadata?.uid ?? '')).map((p) => p.metadata?.name)).toEqual([]);

    const restartAt = new Date().toISOString();
    await start();
    if (process.env.FLOTILLA_TEST_LOGS) console.error(`serve killed and started again at ${restartAt}, up at ${new Date().toISOString()}`);
    // The rollout completes from the stored state.
    const done = await waitFor(async () => {
      const d = await api().get<D>(R.deployments, 'roll', NS);
      const s = d.status;
      const complete = s?.observedGeneration === d.metadata?.generation && s?.updatedReplicas === REPLICAS && s?.replicas === REPLICAS
        && s?.availableReplicas === REPLICAS && s?.readyReplicas === REPLICAS;
      return complete ? d : undefined;
    }, 'the rollout to complete after the restart', 150_000, 250).catch(async (e: Error) => { throw new Error(`${e.message}\n${await stateNow()}`); });
    expect((done.status?.conditions ?? []).find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');

    // Two ReplicaSets, not three: the new one at 20, the old one at 0.
    const rss = await replicaSets();
    expect(rss.map((rs) => [rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.spec?.replicas]).sort()).toEqual([['1', 0], ['2', REPLICAS]]);
    expect(rss.find((rs) => rs.spec?.replicas === REPLICAS)?.metadata?.labels?.['pod-template-hash']).toBe(newHash);

    // Exactly 20 pods, all of the new template, Running once; the ones made before the kill are the same pods.
    const final = await waitFor(async () => {
      const all = await pods();
      return all.length === REPLICAS && all.every((p) => live(p) && ready(p)) ? all : undefined;
    }, 'the old pods gone and 20 new ones Ready', 60_000, 250);
    expect(final.every((p) => p.metadata?.labels?.['pod-template-hash'] === newHash)).toBe(true);
    // Pods that were Running at the kill are never restarted (checked below by container ID). One caught in the making
    // when the control plane died may be started a second time (see the report of issue 18): logged, not failed.
    const restarted = final.filter((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) !== 0).map((p) => p.metadata?.name);
    if (restarted.length) console.error(`restarted after the kill: ${restarted.join(', ')}; made before the kill: ${[...madeBefore.values()].join(', ')}`);
    // What each restarted pod's previous container ended with, and its kubelet events: the cause, when it happens.
    for (const p of final.filter((x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) !== 0)) {
      const events = (await api().list<Event & KObject>(R.events, { namespace: NS })).items.filter((e) => e.involvedObject.uid === p.metadata?.uid);
      console.error(`restarted ${p.metadata?.name}@${p.spec?.nodeName}: last state ${JSON.stringify(p.status?.containerStatuses?.[0]?.lastState)}; events: ${
        events.map((e) => `${e.lastTimestamp ?? e.eventTime ?? ''} ${e.reason} x${e.count ?? 1}: ${e.message}`).join(' | ')}`);
      console.error(`containerd on ${p.spec?.nodeName} about ${p.metadata?.name}'s sandboxes:\n  ${sandboxLog(p).join('\n  ')}`);
    }
    // What else the restarted pods' nodes logged since the kill: containerd's own (re)starts, dead shims, errors, the
    // supervisor's restarts; the agent's warnings.
    for (const node of new Set(final.filter((x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) !== 0).map((x) => x.spec?.nodeName ?? ''))) {
      console.error(`${node} since the kill (${killedAt}):\n  ${nodeLogSince(node, killedAt).join('\n  ')}`);
    }
    const uids = new Set(final.map((p) => p.metadata?.uid));
    expect([...madeBefore].filter(([uid]) => !uids.has(uid)).map(([, name]) => name)).toEqual([]);
    // Those that ran before the kill run the same container now (adopted, not made again).
    const containerOf = (p: P): string | undefined => p.status?.containerStatuses?.[0]?.containerID;
    const ranBefore = atKill.filter((p) => p.status?.containerStatuses?.[0]?.state?.running && containerOf(p));
    expect(ranBefore.length).toBeGreaterThanOrEqual(2);
    const nowById = new Map(final.map((p) => [p.metadata?.uid, p]));
    expect(ranBefore.filter((p) => {
      const now = nowById.get(p.metadata?.uid);
      return !now || containerOf(now) !== containerOf(p) || now.status?.containerStatuses?.[0]?.restartCount !== 0;
    }).map((p) => p.metadata?.name)).toEqual([]);

    // Each node's containerd runs exactly the pods bound to it.
    for (const node of ['node-1', 'node-2']) {
      const bound = new Map(final.filter((p) => p.spec?.nodeName === node).map((p) => [p.metadata?.uid ?? '', p.metadata?.name ?? '']));
      const wrong = await waitFor(async () => {
        const m = runtimeMismatches(await runtimeInventory(dataDir, node), bound);
        return m.length === 0 ? m : undefined;
      }, `${node}'s runtime to match its pods`, 30_000, 250).catch(async () => runtimeMismatches(await runtimeInventory(dataDir, node), bound));
      expect(wrong).toEqual([]);
    }

    // Every write acknowledged before the kill is stored.
    const stored = new Set((await api().list<KObject>(R.configmaps, { namespace: NS })).items.map((c) => c.metadata?.name));
    expect(acked.filter((n) => !stored.has(n))).toEqual([]);

    sampling = false;
    await sampler;
    expect(violations).toEqual([]);
  });
});
