// Four sandbox nodes added at once while every CPU of the host is saturated by busy loops: all four
// end Running with their Nodes Ready (provisioning steps that time out under load are retried, not
// failed). The busy loops are this test's own child processes, stopped by PID.
import * as os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { R } from '../../../main/client/refs';
import type { KObject, Machine } from '../../../main/api/types';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox } from './support';

type M = Machine & KObject;
const NAMES = ['load-1', 'load-2', 'load-3', 'load-4'];

describe.skipIf(skipWithoutAgent)('adding four sandbox nodes at once on a saturated CPU', { timeout: 900_000 }, () => {
  const cfg = uniqueSandbox(7);
  let c: TestCluster;
  const busy: ChildProcess[] = [];
  const logs: string[] = [];

  const stopBusy = (): void => {
    for (const b of busy.splice(0)) if (b.pid && b.exitCode === null && b.signalCode === null) process.kill(b.pid, 'SIGKILL');
  };

  beforeAll(async () => {
    c = await startTestCluster({ nodes: { sandbox: cfg, log: (l) => logs.push(`${new Date().toISOString()} ${l}`) } });
  });

  afterAll(async () => {
    stopBusy();
    await stopClusterWithNodes(c, cfg, logs);
  });

  it('ends with all four Running and Ready', async () => {
    // Eight spinning processes per CPU: every core busy for the whole provisioning, the nodes' own
    // processes getting a small share (enough to make an attempt time out without retries).
    for (let i = 0; i < 8 * os.cpus().length; i++) busy.push(spawn('/bin/sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
    try {
      const started = Date.now();
      await Promise.all(NAMES.map((name) => c.client.create<M>(R.machines, {
        apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name }, spec: { provider: 'sandbox', cpus: 1, memoryMiB: 1024, running: true },
      })));
      const machines = await waitFor(async () => {
        const all = await Promise.all(NAMES.map((n) => c.client.get<M>(R.machines, n)));
        return all.some((m) => m.status?.phase === 'Failed') || all.every((m) => m.status?.phase === 'Running') ? all : undefined;
      }, 'four machines Running (or one Failed)', 840_000, 500);
      expect(machines.filter((m) => m.status?.phase === 'Failed').map((m) => `${m.metadata?.name ?? ''}: ${m.status?.message ?? ''}`)).toEqual([]);
      const retried = machines.filter((m) => (m.status?.attempts ?? []).length > 0).map((m) => `${m.metadata?.name ?? ''}: ${(m.status?.attempts ?? []).map((a) => a.message).join(' | ')}`);
      logs.push(`all four Running after ${Math.round((Date.now() - started) / 1000)} s; retried: ${retried.length ? retried.join('; ') : 'none'}`);
      for (const name of NAMES) {
        const n = await c.client.get<KObject>(R.nodes, name);
        expect(((n.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True')).toBe(true);
      }
    } finally {
      stopBusy();
    }
  });
});
