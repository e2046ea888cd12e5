// Provisioning retries on real sandbox nodes with the real agent. The only stand-in is the failure
// itself: a wrapper around the real sandbox provider whose create times out as a node slow to boot
// under load does (the machine half-made, then "timed out … waiting for sshd"). A transient failure
// is retried with backoff and the machine shows each attempt; a failure that keeps coming ends Failed
// with every attempt shown; a permanent one (provider unavailable) fails at once.
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { MachineController } from '../../../main/nodes/machine-controller';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { defaultAgentBundle, imageTarballs } from '../../../main/nodes/artifacts';
import { R } from '../../../main/client/refs';
import type { Availability, CreateSpec, MachineInfo, ProgressFn, Provider } from '../../../main/nodes/types';
import type { Event, KObject, Machine, MachineProvider } from '../../../main/api/types';
import { leftovers, skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

type M = Machine & KObject;
const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

/** The real sandbox provider, except that its first `failures` creates time out after making the machine. */
class TimingOut implements Provider {
  readonly name: MachineProvider = 'sandbox';
  creates = 0;
  constructor(private readonly real: Provider, private readonly failures: number, private readonly availability?: Availability) {}
  available(): Promise<Availability> { return this.availability ? Promise.resolve(this.availability) : this.real.available(); }
  async create(spec: CreateSpec, progress: ProgressFn): Promise<MachineInfo> {
    this.creates += 1;
    const info = await this.real.create(spec, progress);
    if (this.creates <= this.failures) throw new Error(`timed out after 30 s waiting for sshd of node ${spec.name} on ${info.internalIP ?? '?'}:22`);
    return info;
  }
  start(name: string, progress?: ProgressFn): Promise<MachineInfo> { return this.real.start(name, progress); }
  stop(name: string): Promise<void> { return this.real.stop(name); }
  delete(name: string): Promise<void> { return this.real.delete(name); }
  list(): Promise<MachineInfo[]> { return this.real.list(); }
}

describe.skipIf(skipWithoutAgent)('machine provisioning retries (sandbox, real agent)', () => {
  const cfg = uniqueSandbox(6);
  let c: TestCluster;
  let controller: MachineController | undefined;
  const logs: string[] = [];

  const run = (provider: Provider): MachineController => {
    controller?.stop();
    controller = new MachineController({
      client: c.core.client, dataDir: c.core.dataDir, providers: new Map([['sandbox', provider]]), apiPort: c.core.api.port,
      caCertPem: c.core.caCertPem, nodeToken: (n) => c.core.auth.nodeToken(n), agentBundle: defaultAgentBundle,
      imageTarballs: () => imageTarballs(c.core.dataDir), readyTimeoutMs: 90_000, retryBackoffMs: 300,
      log: (l) => logs.push(`${new Date().toISOString()} ${l}`),
    });
    controller.start();
    return controller;
  };
  const create = (name: string): Promise<M> => c.client.create<M>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider: 'sandbox', cpus: 1, memoryMiB: 1024, running: true } });
  const final = (name: string): Promise<M> => waitFor(async () => {
    const m = await c.client.get<M>(R.machines, name);
    return m.status?.phase === 'Running' || m.status?.phase === 'Failed' ? m : undefined;
  }, `${name} Running or Failed`, 180_000);
  const eventsOf = async (name: string): Promise<Event[]> => (await c.client.list<Event & KObject>(EVENTS, { namespace: 'default' })).items
    .filter((e) => e.involvedObject?.kind === 'Machine' && e.involvedObject.name === name)
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));

  beforeAll(async () => {
    c = await startTestCluster();
  });

  afterAll(async () => {
    controller?.stop();
    await stopClusterWithNodes(c, cfg, logs);
  });

  it('retries after a transient failure, showing the attempt, and ends Running', async () => {
    const provider = new TimingOut(new SandboxProvider({ dataDir: c.core.dataDir, config: cfg }), 1);
    run(provider);
    const messages: string[] = [];
    const w = c.client.watch<M>(R.machines, {}, (ev) => {
      const msg = ev.object.metadata?.name === 'r1' ? ev.object.status?.message : undefined;
      if (msg && messages.at(-1) !== msg) messages.push(msg);
    }, () => undefined);
    try {
      await create('r1');
      const m = await final('r1');
      expect(m.status?.phase, m.status?.message).toBe('Running');
      expect(provider.creates).toBe(2);
      expect(m.status?.attempts).toEqual([{ attempt: 1, time: expect.any(String) as unknown, message: expect.stringMatching(/^starting sandbox node r1 at .*: timed out after 30 s waiting for sshd of node r1 .*; the half-made machine was removed$/) as unknown }]);
      await waitFor(() => messages.some((x) => /^attempt 2 of 4 after: starting sandbox node r1 .*: timed out after 30 s waiting for sshd/.test(x)), 'the second attempt in the status message', 5000);
      expect(messages.some((x) => /^attempt 1 of 4 failed, retrying in 300 ms: starting sandbox node r1 .*: timed out/.test(x))).toBe(true);
      expect(m.status?.conditions?.find((x) => x.type === 'Provisioned')).toMatchObject({ status: 'True' });
      const node = await c.client.get<KObject>(R.nodes, 'r1');
      expect(((node.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True')).toBe(true);
      await controller!.idle();
      const ev = await eventsOf('r1');
      expect(ev.map((e) => [e.type, e.reason])).toEqual([['Warning', 'ProvisioningFailed']]);
      expect(ev[0]?.message).toMatch(/^attempt 1 of 4 failed, retrying in 300 ms: starting sandbox node r1 .*: timed out/);
      const d = await c.kubectl(['describe', 'machine', 'r1']);
      expect(d.stdout).toMatch(/Warning\s+ProvisioningFailed\s+.*attempt 1 of 4 failed/);
    } finally {
      w.stop();
    }
    await c.client.delete(R.machines, 'r1');
    await waitFor(async () => !(await c.client.get<M>(R.machines, 'r1').catch(() => undefined)), 'r1 deleted', 90_000);
  });

  it('ends Failed after the last attempt, with every attempt shown', async () => {
    const provider = new TimingOut(new SandboxProvider({ dataDir: c.core.dataDir, config: cfg }), Infinity);
    run(provider);
    await create('r2');
    const m = await final('r2');
    expect(m.status?.phase).toBe('Failed');
    expect(provider.creates).toBe(4);
    expect(m.status?.message).toMatch(/^starting sandbox node r2 at .*: timed out after 30 s waiting for sshd of node r2 .*; the half-made machine was removed \(gave up after 4 attempts\)$/);
    expect(m.status?.attempts?.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    for (const a of m.status?.attempts ?? []) expect(a.message).toMatch(/^starting sandbox node r2 at .*: timed out after 30 s waiting for sshd/);
    await controller!.idle();
    const ev = (await eventsOf('r2')).map((e) => e.message ?? '');
    expect(ev).toHaveLength(4);
    expect(ev.slice(0, 3).map((x) => /^attempt (\d) of 4 failed, retrying in (\S+ \S+):/.exec(x)?.slice(1))).toEqual([['1', '300 ms'], ['2', '600 ms'], ['3', '1.2 s']]);
    expect(ev[3]).toMatch(/^attempt 4 of 4 failed, giving up: starting sandbox node r2 .*: timed out/);
    expect(leftovers(cfg, c.core.dataDir).filter((l) => l.includes('-r2'))).toEqual([]);
    expect(fs.existsSync(`${c.core.dataDir}/sandbox/nodes/r2`)).toBe(false);
  });

  it('fails at once on a permanent error (the provider cannot run here)', async () => {
    const provider = new TimingOut(new SandboxProvider({ dataDir: c.core.dataDir, config: cfg }), 0, { ok: false, reason: 'sandbox nodes need root' });
    run(provider);
    await create('r3');
    const m = await final('r3');
    expect(m.status?.phase).toBe('Failed');
    expect(m.status?.message).toBe('checking the provider: sandbox is not available here: sandbox nodes need root');
    expect(m.status?.attempts?.map((a) => a.attempt)).toEqual([1]);
    expect(provider.creates).toBe(0);
  });
});
