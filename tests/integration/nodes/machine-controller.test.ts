// The machine controller against a real API server, on real sandbox nodes with the real agent:
// Machine → Running with its Node Ready (progress seen live), SSH drop → reconnect with tunnels
// back, stop/start, delete (finalizer, Node removed), a failing bootstrap → Failed with the reason
// and the half-made machine removed, delete + re-add, and `down` leaving the host clean.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { startNodeManager, type NodeManager, type NodeManagerOptions } from '../../../main/nodes';
import { MACHINE_FINALIZER } from '../../../main/nodes/resources';
import { MACHINE_STEPS } from '../../../main/nodes/machine-controller';
import { R } from '../../../main/client/refs';
import { nodePids } from '../../../main/nodes/providers/sandbox/cgroup';
import type { KObject, Machine, MachineProgress } from '../../../main/api/types';
import { leftovers, skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

type M = Machine & KObject;

describe.skipIf(skipWithoutAgent)('machine controller (sandbox, real agent)', () => {
  const cfg = uniqueSandbox(1);
  let c: TestCluster;
  let mgr: NodeManager | undefined;
  const logs: string[] = [];

  const start = (o: Partial<NodeManagerOptions> = {}): NodeManager => {
    mgr?.stop();
    mgr = startNodeManager(c.core, { sandbox: cfg, log: (l) => logs.push(`${new Date().toISOString()} ${l}`), readyTimeoutMs: 60_000, ...o });
    return mgr;
  };
  const create = (name: string): Promise<M> => c.client.create<M>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider: 'sandbox', running: true } });
  const phaseOf = async (name: string): Promise<M> => c.client.get<M>(R.machines, name);
  const untilPhase = (name: string, phase: string, ms = 90_000): Promise<M> => waitFor(async () => {
    const m = await phaseOf(name);
    if (m.status?.phase === 'Failed' && phase !== 'Failed') throw new Error(`machine failed: ${m.status.message}`);
    return m.status?.phase === phase ? m : undefined;
  }, `${name} ${phase}`, ms);
  const gone = (name: string): Promise<boolean> => waitFor(async () => {
    try { await phaseOf(name); return false; } catch { return true; }
  }, `${name} deleted`, 90_000);
  const nodeReady = (name: string): Promise<KObject> => waitFor(async () => {
    const n = await c.client.get<KObject>(R.nodes, name);
    const conds = (n.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
    return conds.some((x) => x.type === 'Ready' && x.status === 'True') ? n : undefined;
  }, `node ${name} Ready`, 60_000);

  beforeAll(async () => {
    c = await startTestCluster();
  });

  afterAll(async () => {
    mgr?.stop();
    await stopClusterWithNodes(c, cfg, logs);
  });

  it('takes a Machine to Running with its Node Ready, showing each step as it happens', async () => {
    start();
    const seen: MachineProgress[] = [];
    const phases: string[] = [];
    const w = c.client.watch<M>(R.machines, {}, (ev) => {
      const st = ev.object.status;
      if (st?.progress && seen.at(-1)?.message !== st.progress.message) seen.push(st.progress);
      if (st?.phase && phases.at(-1) !== st.phase) phases.push(st.phase);
    }, () => undefined);
    try {
      await create('m1');
      const m = await untilPhase('m1', 'Running');
      await nodeReady('m1');
      expect(m.metadata?.finalizers).toContain(MACHINE_FINALIZER);
      expect(m.status?.nodeName).toBe('m1');
      expect(m.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toMatch(/^10\.251\./);
      await waitFor(() => phases.includes('Running'), 'watch to see Running', 5000);
      expect(phases).toEqual(['Provisioning', 'Bootstrapping', 'Running']);
      const steps = seen.map((p) => p.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(new Set(steps).size).toBeGreaterThanOrEqual(6);
      expect(seen.every((p) => p.total === MACHINE_STEPS)).toBe(true);
    } finally {
      w.stop();
    }
  });

  type NodeEvent = KObject & { reason?: string; message?: string; source?: { component?: string } };
  const nodeEvents = async (node: string): Promise<NodeEvent[]> =>
    (await c.client.list<NodeEvent>(R.events, { fieldSelector: `involvedObject.kind=Node,involvedObject.name=${node}` })).items;
  const event = (node: string, reason: string): Promise<NodeEvent> =>
    waitFor(async () => (await nodeEvents(node)).find((e) => e.reason === reason), `a ${reason} event on ${node}`, 30_000);

  it('records the node\'s events as the kubelet and the node controller do: start, conditions, registration, cordon, uncordon', async () => {
    expect((await event('m1', 'Starting'))).toMatchObject({ message: 'Starting kubelet.', source: { component: 'kubelet' } });
    expect((await event('m1', 'NodeReady')).message).toBe('Node m1 status is now: NodeReady');
    expect((await event('m1', 'RegisteredNode')).source?.component).toBe('node-controller');
    await c.client.patch(R.nodes, 'm1', { spec: { unschedulable: true } }, 'merge');
    expect((await event('m1', 'NodeNotSchedulable')).message).toBe('Node m1 status is now: NodeNotSchedulable');
    await c.client.patch(R.nodes, 'm1', { spec: { unschedulable: null } }, 'merge');
    await event('m1', 'NodeSchedulable');
  });

  it('reconnects when SSH drops and re-opens the API tunnel on the node', async () => {
    const conn = mgr!.controller.connection('m1')!;
    const before = conn.connects;
    const s = await conn.session();
    await s.exec('kill -9 $PPID').catch(() => undefined);
    await waitFor(() => conn.connects > before, 'a reconnect', 15_000);
    const s2 = await conn.ready();
    const r = await s2.exec('bash -c \'exec 3<>/dev/tcp/127.0.0.1/6443 && echo open\'');
    expect(r.stdout.trim()).toBe('open');
    // forwardOut reaches the node: the agent's server answers, or (before it listens) the node refuses.
    const agent = await mgr!.dialAgent('m1').catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    if (agent instanceof Error) expect(agent.message).toMatch(/Connection refused/);
    else agent.destroy();
  });

  it('re-attaches a Running machine after a restart of the node manager without touching it', async () => {
    const pidsBefore = nodePids(`${cfg.prefix}-m1`).sort();
    start();
    await waitFor(() => mgr!.controller.connection('m1'), 'a connection to m1 again', 20_000);
    await waitFor(async () => (await mgr!.controller.connection('m1')!.session()) && true, 'session', 20_000);
    await mgr!.controller.idle();
    expect((await phaseOf('m1')).status?.phase).toBe('Running');
    const agentPid = Number((await (await mgr!.controller.connection('m1')!.session()).run('cat /var/lib/flotilla/run/agent.pid')).trim());
    expect(pidsBefore).toContain(agentPid);
  });

  it('stops and starts a machine (spec.running)', async () => {
    await c.client.patch(R.machines, 'm1', { spec: { running: false } }, 'merge');
    await untilPhase('m1', 'Stopped');
    expect(nodePids(`${cfg.prefix}-m1`)).toEqual([]);
    await c.client.patch(R.machines, 'm1', { spec: { running: true } }, 'merge');
    await untilPhase('m1', 'Running');
    await nodeReady('m1');
  });

  it('deletes a machine: Node gone, machine destroyed, then the object', async () => {
    await c.client.delete(R.machines, 'm1');
    await gone('m1');
    await expect(c.client.get(R.nodes, 'm1')).rejects.toThrow();
    expect((await event('m1', 'RemovingNode')).message).toBe('Node m1 event: Removing Node m1 from Controller');
    expect(fs.existsSync(path.join(c.core.dataDir, 'sandbox', 'nodes', 'm1'))).toBe(false);
    expect(leftovers(cfg, c.core.dataDir).filter((l) => l.includes('-m1'))).toEqual([]);
  });

  it('a failing bootstrap ends Failed with the reason, the half-made machine removed; delete + re-add works', async () => {
    const crashing = path.join(c.dir, 'crashing-agent.js');
    fs.writeFileSync(crashing, 'console.error("agent: cannot start: no such thing as a flotilla"); process.exit(3);\n');
    start({ agentBundle: crashing });
    await create('bad');
    const m = await untilPhase('bad', 'Failed', 60_000);
    expect(m.status?.message).toMatch(/agent keeps exiting/);
    expect(m.status?.message).toMatch(/no such thing as a flotilla/);
    expect(m.status?.message).toMatch(/half-made machine was removed/);
    expect(leftovers(cfg, c.core.dataDir).filter((l) => l.includes('-bad'))).toEqual([]);

    start({ agentBundle: path.join(c.dir, 'missing', 'agent.js') });
    await create('bad2');
    const m2 = await untilPhase('bad2', 'Failed', 30_000);
    expect(m2.status?.message).toMatch(/^checking the agent bundle: the agent bundle .* does not exist/);
    expect(m2.status?.message).not.toMatch(/half-made/);

    start();
    await c.client.delete(R.machines, 'bad');
    await c.client.delete(R.machines, 'bad2');
    await gone('bad');
    await gone('bad2');
    await create('bad');
    await untilPhase('bad', 'Running');
    await nodeReady('bad');
    await c.client.delete(R.machines, 'bad');
    await gone('bad');
  });
});
