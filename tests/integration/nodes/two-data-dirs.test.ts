// Two data dirs on default sandbox settings at the same time, as a user runs them: `flotilla serve
// --nodes 1` on one, stopped without `down` (its node keeps running by design), then `serve --nodes 2`
// on another. Each gets its own bridge, subnet and names, chosen free; each data dir's nodes come up;
// `flotilla down` of either leaves the other's nodes running.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { downMachines } from '../../../main/nodes/down';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import type { HttpClient } from '../../../main/client/http';
import { readSandboxConfig, type SandboxConfig } from '../../../main/nodes/providers/sandbox/config';
import { hostPathOf, readNodeState } from '../../../main/nodes/providers/sandbox/node-state';
import { tcpOpen } from '../../../main/nodes/providers/sandbox/node';
import { nodePids } from '../../../main/nodes/providers/sandbox/cgroup';
import { ROOT, startServe, type ServeProcess } from '../../e2e/support/serve-process';
import { waitFor } from '../../helpers/cluster';
import { leftovers, skipWithoutAgent } from './support';

/** `flotilla down --data-dir D` with no FLOTILLA_SANDBOX_* set, as a user types it. */
function down(dataDir: string): Promise<{ code: number; out: string }> {
  const env = { ...process.env };
  for (const k of ['FLOTILLA_SANDBOX_BRIDGE', 'FLOTILLA_SANDBOX_SUBNET', 'FLOTILLA_SANDBOX_PREFIX']) delete env[k];
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), 'down', '--data-dir', dataDir], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => c.kill('SIGKILL'), 180_000);
    c.on('close', (code) => { clearTimeout(t); resolve({ code: code ?? -1, out }); });
  });
}

function readyNodes(client: HttpClient, names: string[]): Promise<boolean> {
  return waitFor(async () => {
    const items = (await client.list<KObject>(R.nodes)).items;
    const ready = (n: string): boolean => items.some((x) => x.metadata?.name === n
      && ((x.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
    return names.every(ready);
  }, `nodes ${names.join(', ')} Ready`, 150_000, 200);
}

describe.skipIf(skipWithoutAgent)('two data dirs on default sandbox settings', { timeout: 300_000 }, () => {
  const servers: ServeProcess[] = [];
  let dirA = '';
  let dirB = '';
  const dataDir = (dir: string): string => path.join(dir, 'data');
  const cfgOf = (dir: string): SandboxConfig => {
    const c = readSandboxConfig(dataDir(dir));
    if (!c) throw new Error(`${dir}: no sandbox config saved`);
    return c;
  };
  /** The node of data dir `dir` runs: processes in its cgroup, sshd answering on its address. */
  const running = async (dir: string, node: string): Promise<boolean> => {
    const s = readNodeState(dataDir(dir), node);
    return !!s && nodePids(s.cgroup).length > 0 && tcpOpen(s.ip, 22, 1000);
  };
  /** The PIDs of the node's containerd and agent supervisors, which live as long as the node does. */
  const pidsOf = (dir: string, node: string): number[] => {
    const live = nodePids(readNodeState(dataDir(dir), node)!.cgroup);
    return ['containerd', 'agent'].map((svc) => {
      const pid = Number(fs.readFileSync(hostPathOf(dataDir(dir), node, `/var/lib/flotilla/run/${svc}.pid`)!, 'utf8').trim());
      if (!live.includes(pid)) throw new Error(`${svc} supervisor ${pid} of ${node} is not running`);
      return pid;
    });
  };

  afterAll(async () => {
    for (const s of servers) await s.terminate().catch(() => undefined);
    const left: string[] = [];
    for (const dir of [dirA, dirB].filter(Boolean)) {
      const cfg = readSandboxConfig(dataDir(dir));
      const r = await downMachines(dataDir(dir));
      left.push(...r.errors);
      if (cfg) left.push(...leftovers(cfg, dataDir(dir)));
    }
    for (const dir of [dirA, dirB].filter(Boolean)) fs.rmSync(dir, { recursive: true, force: true });
    if (left.length) for (const s of servers) console.error(s.output());
    expect(left).toEqual([]);
  });

  it('gives each data dir its own bridge, subnet and names: a second data dir\'s nodes come up beside the first\'s', async () => {
    const a = await startServe(['--nodes', '1'], 60_000, { defaultSandbox: true });
    servers.push(a);
    dirA = a.dir;
    await readyNodes(a.client, ['node-1']);
    await a.terminate(); // no `down`: sandbox nodes outlive their control plane
    expect(await running(dirA, 'node-1')).toBe(true);
    const pidsA = pidsOf(dirA, 'node-1');

    const b = await startServe(['--nodes', '2'], 60_000, { defaultSandbox: true });
    servers.push(b);
    dirB = b.dir;
    await readyNodes(b.client, ['node-1', 'node-2']);
    const [ca, cb] = [cfgOf(dirA), cfgOf(dirB)];
    expect(cb.bridge).not.toBe(ca.bridge);
    expect(cb.subnet).not.toBe(ca.subnet);
    expect(cb.prefix).not.toBe(ca.prefix);
    const ipA = readNodeState(dataDir(dirA), 'node-1')!.ip;
    const ipB = readNodeState(dataDir(dirB), 'node-1')!.ip;
    expect(ipB).not.toBe(ipA);
    expect(ipA.startsWith(ca.subnet.replace('0/24', ''))).toBe(true);
    expect(ipB.startsWith(cb.subnet.replace('0/24', ''))).toBe(true);
    // The first data dir's node was not touched: same processes, still up.
    expect(await running(dirA, 'node-1')).toBe(true);
    expect(pidsOf(dirA, 'node-1')).toEqual(pidsA);
  });

  it('`flotilla down` of either data dir leaves the other\'s nodes running', async () => {
    // B goes down through its running server's API; A's node (its server stopped) stays.
    const b = servers[1];
    const pidsA = pidsOf(dirA, 'node-1');
    const downB = await down(dataDir(dirB));
    expect(downB.out).toMatch(/all machines removed/);
    expect(downB.code).toBe(0);
    expect(leftovers(cfgOf(dirB), dataDir(dirB))).toEqual([]);
    expect(await running(dirA, 'node-1')).toBe(true);
    expect(pidsOf(dirA, 'node-1')).toEqual(pidsA);
    expect(fs.existsSync(`/sys/class/net/${cfgOf(dirA).bridge}`)).toBe(true);

    // B back with a node of its own (on its saved network); then A goes down with no server running.
    await b.terminate();
    const b2 = await startServe(['--nodes', '1'], 60_000, { defaultSandbox: true, dir: dirB });
    servers.push(b2);
    await readyNodes(b2.client, ['node-1']);
    const pidsB = pidsOf(dirB, 'node-1');
    const downA = await down(dataDir(dirA));
    expect(downA.out).toMatch(/all machines removed/);
    expect(downA.code).toBe(0);
    expect(leftovers(cfgOf(dirA), dataDir(dirA))).toEqual([]);
    expect(await running(dirB, 'node-1')).toBe(true);
    expect(pidsOf(dirB, 'node-1')).toEqual(pidsB);
    expect(fs.existsSync(`/sys/class/net/${cfgOf(dirB).bridge}`)).toBe(true);
    await readyNodes(b2.client, ['node-1']);
  });
});
