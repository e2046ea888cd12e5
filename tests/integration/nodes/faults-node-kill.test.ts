// kill -9 of a node's own processes while pods are being created (issue 18), on a real sandbox node: its agent (the
// kubelet), then its containerd. The node's supervisor starts each again (as systemd's Restart=always does on a machine);
// the agent's restart shows as the kubelet's "Starting" event on the Node. The new agent adopts what containerd runs
// (ListPodSandbox/ListContainers) instead of making it again: pods that were Running keep their container IDs and
// restart counts; pods caught half-made end Running exactly once; containerd holds no sandbox or container of no pod.
// containerd's death leaves the containers running under their shims; the agent reconnects to CRI and carries on.
import * as fs from 'node:fs';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { AGENT_ENV, AGENT_NODE_FLAGS, NODE } from '../../../main/nodes/node-paths';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';
import { waitFor } from '../../helpers/wait';
import { sandboxCluster, skipWithoutAgent } from './support';
import { runtimeInventory, runtimeMismatches, type RuntimeInventory } from './runtime-inventory';

type P = Pod & KObject;
const NS = 'default';
const NODE_NAME = 'node-1';

function deployment(name: string, replicas: number): Deployment & KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] } },
    },
  };
}

describe.skipIf(skipWithoutAgent)('kill -9 of a sandbox node\'s agent and containerd while pods are being created', { timeout: 120_000 }, () => {
  const s = sandboxCluster(19);
  const dataDir = (): string => s.c.core.dataDir;

  /** The PID of the process a node service's supervisor runs now (supervise NAME CMD… keeps one child). */
  const servicePid = (service: 'agent' | 'containerd'): number | undefined => {
    const pidFile = hostPathOf(dataDir(), NODE_NAME, `${NODE.runDir}/${service}.pid`) ?? '';
    try {
      const sup = Number(fs.readFileSync(pidFile, 'utf8').trim());
      const children = fs.readFileSync(`/proc/${sup}/task/${sup}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      return children.find((c) => {
        try {
          const argv = fs.readFileSync(`/proc/${c}/cmdline`, 'utf8').split('\0');
          // A copy of the supervisor between its fork and exec (its `$(date +%s)`, or the service's own start) still
          // carries the supervisor's argv, the service's among it: not the service.
          if (argv[0] === '/bin/sh') return false;
          return argv.some((a) => a.endsWith(service === 'agent' ? 'agent.js' : 'containerd'));
        } catch { return false; }
      });
    } catch { return undefined; }
  };
  const pods = async (): Promise<P[]> => (await s.c.client.list<P>(R.pods, { namespace: NS })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const running = (p: P): boolean => p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const inventory = (): Promise<RuntimeInventory> => runtimeInventory(dataDir(), NODE_NAME);
  /** How many times the kubelet said "Starting kubelet." on the node (the recorder counts repeats on one Event). */
  const kubeletStarts = async (): Promise<number> => (await s.c.client.list<Event & KObject>(R.events, { namespace: NS })).items
    .filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === NODE_NAME && e.reason === 'Starting')
    .reduce((n, e) => n + (e.count ?? 1), 0);
  /** Each pod's uid → [name, container ID, restart count]. */
  const snapshot = (ps: P[]): Map<string, [string, string, number]> => new Map(ps.map((p) => [p.metadata?.uid ?? '', [
    p.metadata?.name ?? '', p.status?.containerStatuses?.[0]?.containerID ?? '', p.status?.containerStatuses?.[0]?.restartCount ?? -1,
  ]]));

  /** Every pod Running and Ready once; the runtime holds exactly them (one ready sandbox, one container each); those of `before` untouched. */
  async function allRunningOnce(before: Map<string, [string, string, number]>, sandboxesBefore: Set<string>, expected: number): Promise<void> {
    const first = await waitFor(async () => {
      const all = await pods();
      return all.length === expected && all.every(running) ? all : undefined;
    }, `${expected} pods Running`, 90_000, 200).catch(async (e: unknown) => {
      // Say which pods are not there yet and why, and what the runtime holds.
      const stuck = (await pods()).filter((p) => !running(p));
      const stuckUids = new Set(stuck.map((p) => p.metadata?.uid));
      const states = stuck.map((p) => {
        const c = p.status?.containerStatuses?.[0];
        const why = c?.state?.waiting ? `waiting ${c.state.waiting.reason ?? ''} ${c.state.waiting.message ?? ''}` : c?.state?.terminated ? `terminated ${c.state.terminated.reason ?? ''}` : c?.state?.running ? 'running, not Ready' : 'no container status';
        return `${p.metadata?.name ?? ''}: ${p.status?.phase ?? 'no phase'}, ${why.trim()}`;
      });
      const inv = await inventory().then((i) => ({
        sandboxes: i.sandboxes.filter((b) => stuckUids.has(b.uid)), containers: i.containers.filter((c) => stuckUids.has(c.uid)),
      }), (err: unknown) => `(inventory failed: ${String(err)})`);
      throw new Error(`${e instanceof Error ? e.message : String(e)}; not Running: ${states.join('; ') || 'none (count differs)'}; their sandboxes and containers in the runtime: ${JSON.stringify(inv).slice(0, 3000)}`);
    });
    const byUid = new Map(first.map((p) => [p.metadata?.uid ?? '', p.metadata?.name ?? '']));
    // The runtime settles (a restarted containerd answers once it has reloaded its containers).
    const inv = await waitFor(async () => {
      const i = await inventory();
      return runtimeMismatches(i, byUid).length === 0 ? i : undefined;
    }, 'the runtime to hold exactly the pods', 30_000, 250).catch(() => inventory());
    expect(runtimeMismatches(inv, byUid)).toEqual([]);
    // Pods Running before the kill: their one container (attempt 0), nothing made again, and their sandboxes kept. A pod caught
    // half-made may have an earlier attempt left stopped beside its running one (see the report of issue 18): logged.
    for (const [uid, name] of byUid) {
      const attempts = inv.containers.filter((c) => c.uid === uid).map((c) => `${name}/${c.name}#${c.attempt}${c.running ? '' : ' (stopped)'}`).sort();
      if (before.has(uid)) expect(attempts).toEqual([`${name}/app#0`]);
      else if (attempts.length !== 1) console.error(`half-made pod ${name}: ${attempts.join(', ')}`);
    }
    const ready = new Set(inv.sandboxes.filter((b) => b.ready).map((b) => b.id));
    expect([...sandboxesBefore].filter((id) => !ready.has(id))).toEqual([]);
    // The pods as the agent reports them now: the same pods, those Running before with the same containers, none restarted.
    const ps = await pods();
    expect(new Set(ps.map((p) => p.metadata?.uid))).toEqual(new Set(byUid.keys()));
    const now = snapshot(ps);
    for (const [uid, was] of before) expect(now.get(uid)).toEqual(was);
    expect(ps.filter((p) => before.has(p.metadata?.uid ?? '')).map((p) => p.status?.containerStatuses?.[0]?.restartCount).filter((n) => n !== 0)).toEqual([]);
    const ids = new Set(inv.containers.map((c) => `containerd://${c.id}`));
    expect(ps.map((p) => p.status?.containerStatuses?.[0]?.containerID).filter((id) => !ids.has(id ?? ''))).toEqual([]);
  }

  /**
   * Creates a deployment and kills `service` once the runtime has begun making its pods but not finished. A loaded
   * machine may make them all between two looks: then the deployment grows by `replicas` more, up to 3 times, and the
   * kill waits for the new ones. Returns the killed PID and the deployment's replicas.
   */
  async function killWhileCreating(service: 'agent' | 'containerd', name: string, replicas: number): Promise<{ pid: number; replicas: number }> {
    const pid = servicePid(service);
    if (!pid) throw new Error(`no ${service} process on ${NODE_NAME}`);
    await s.c.client.create(R.deployments, deployment(name, replicas), { namespace: NS });
    let want = replicas;
    let made = 0; // sandboxes of this deployment's pods already there before this attempt
    for (let attempt = 1; ; attempt++) {
      const seen = await waitFor(async () => {
        const inv = await inventory();
        const mine = (await pods()).filter((p) => p.metadata?.labels?.app === name).map((p) => p.metadata?.uid);
        const started = inv.sandboxes.filter((b) => mine.includes(b.uid)).length;
        const runningCtrs = inv.containers.filter((c) => mine.includes(c.uid) && c.running).length;
        if (started > made && runningCtrs < want) return 'half made';
        return runningCtrs >= want ? 'all made' : undefined;
      }, `${name}'s pods half made (attempt ${attempt}, ${want} replicas)`, 60_000, 20);
      if (seen === 'half made') break;
      if (attempt === 3) throw new Error(`${name}: every attempt made all its pods before one was seen half made`);
      made = want;
      want += replicas;
      await s.c.client.patch(R.deployments, name, { spec: { replicas: want } }, 'merge', { namespace: NS });
    }
    process.kill(pid, 'SIGKILL');
    return { pid, replicas: want };
  }

  it('the agent: restarted by the node\'s supervisor, it adopts running pods and finishes the half-made ones once', async () => {
    await s.c.client.create(R.deployments, deployment('steady', 3), { namespace: NS });
    const steady = await waitFor(async () => { const ps = await pods(); return ps.length === 3 && ps.every(running) ? ps : undefined; }, 'steady pods Running', 60_000, 200);
    const before = snapshot(steady);
    const sandboxesBefore = new Set((await inventory()).sandboxes.filter((b) => b.ready).map((b) => b.id));
    const starts = await waitFor(async () => { const n = await kubeletStarts(); return n > 0 ? n : undefined; }, 'the kubelet\'s Starting event', 30_000, 200);

    const killed = await killWhileCreating('agent', 'fresh', 6);
    const again = await waitFor(() => { const p = servicePid('agent'); return p && p !== killed.pid ? p : undefined; }, 'a new agent process', 30_000, 100);
    expect(again).not.toBe(killed.pid);
    // The restarted agent runs as the first did: node's flags and the agent's environment (the supervisor keeps both).
    expect(fs.readFileSync(`/proc/${again}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining([...AGENT_NODE_FLAGS]));
    const environ = fs.readFileSync(`/proc/${again}/environ`, 'utf8').split('\0');
    for (const [k, v] of Object.entries(AGENT_ENV)) expect(environ).toContain(`${k}=${v}`);
    await waitFor(async () => (await kubeletStarts()) > starts, 'the restarted kubelet\'s Starting event on the Node', 60_000, 200);
    await allRunningOnce(before, sandboxesBefore, steady.length + killed.replicas);
  });

  it('containerd: the shims keep containers running, the supervisor restarts it, the agent reconnects to CRI and carries on', async () => {
    const all = await pods();
    const before = snapshot(all);
    const sandboxesBefore = new Set((await inventory()).sandboxes.filter((b) => b.ready).map((b) => b.id));
    const killed = await killWhileCreating('containerd', 'late', 4);
    await waitFor(() => { const p = servicePid('containerd'); return p && p !== killed.pid ? p : undefined; }, 'a new containerd process', 30_000, 100);
    const total = all.length + killed.replicas;
    await allRunningOnce(before, sandboxesBefore, total);
    // And a pod made after the restart runs.
    await s.c.client.patch(R.deployments, 'late', { spec: { replicas: killed.replicas + 1 } }, 'merge', { namespace: NS });
    await waitFor(async () => { const ps = await pods(); return ps.length === total + 1 && ps.every(running); }, `pod ${total + 1} Running`, 60_000, 200);
  });
});
