// Lima and Multipass providers driven end to end against stand-in commands on PATH (see
// stand-ins.ts): create → list → stop → start → delete, a boot failure with the boot log's tail and
// the exact command (Lima 1.x and 2.2 words), and the machine controller turning an unreachable VM
// into Failed with the half-made machine deleted. The behaviours the review found missing have
// their own files: lima-provider.test.ts, multipass-provider.test.ts, ssh-sessions.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LimaProvider } from '../../../main/nodes/providers/lima';
import { MultipassProvider } from '../../../main/nodes/providers/multipass';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { startNodeManager } from '../../../main/nodes';
import { R } from '../../../main/client/refs';
import type { KObject, Machine } from '../../../main/api/types';
import { useStandIns } from './stand-ins';

const suite = useStandIns('flotilla-vmprov-');
const setEnv = suite.setEnv;

describe('lima provider (stand-in limactl)', () => {
  it('says plainly when limactl is missing', async () => {
    const p = new LimaProvider({ dataDir: path.join(suite.dir, 'd0'), limactl: path.join(suite.dir, 'nowhere', 'limactl') });
    const a = await p.available();
    expect(a.ok).toBe(false);
    expect(a.reason).toMatch(/limactl is not installed/);
  });

  it('creates, lists, stops, starts and deletes an instance, always with LIMA_HOME under the data dir', async () => {
    const dataDir = path.join(suite.dir, 'd1');
    const p = new LimaProvider({ dataDir, timeout: '3m' });
    const a = await p.available();
    expect(a.ok).toBe(true);
    expect(a.reason).toMatch(/1\.0\.3/);
    const steps: string[] = [];
    const info = await p.create({ name: 'node-1', cpus: 2, memoryMiB: 2048, diskGiB: 10 }, (m) => steps.push(m));
    expect(steps[0]).toMatch(/creating Lima instance node-1/);
    expect(info).toMatchObject({ name: 'node-1', provider: 'lima', state: 'Running', services: 'systemd', nodeBinary: 'node' });
    expect(info.internalIP).toMatch(/^192\.168\.104\.\d+$/);
    // The host as the guest reaches it (its default route's gateway), for the built-in registry and host.flotilla.internal.
    expect(info.hostAddress).toBe('192.168.104.2');
    // The host key is the one the guest reports through limactl shell, pinned at once.
    const guestKey = fs.readFileSync(path.join(dataDir, 'lima', 'node-1', 'guest', 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    expect(info.ssh).toMatchObject({ host: '127.0.0.1', user: 'root', hostKey: guestKey });
    expect(info.ssh?.port).toBeGreaterThan(0);
    const start = suite.fakes.calls().find((c) => c.argv[0] === 'start');
    expect(start?.argv).toContain('--timeout=3m');
    expect(start?.argv.at(-1)).toMatch(/vm-images\/lima\/worker\.yaml$/);

    expect((await p.list()).map((m) => [m.name, m.state, m.ssh?.hostKey])).toEqual([['node-1', 'Running', guestKey]]);
    await p.stop('node-1');
    expect((await p.list()).map((m) => m.state)).toEqual(['Stopped']);
    expect((await p.start('node-1')).state).toBe('Running');
    await p.delete('node-1');
    expect(await p.list()).toEqual([]);
    expect(suite.fakes.calls().filter((c) => c.limaHome === path.join(dataDir, 'lima')).length).toBeGreaterThan(5);
    expect(suite.fakes.calls().every((c) => c.limaHome === null || c.limaHome.endsWith('/lima'))).toBe(true);
  });

  it.each([['1.0.3', 'did not receive an event with the "running" status'], ['2.2.0', 'did not receive an event with the `running` status']])(
    'a boot that never gets running fails with the command, Lima %s\'s reason and the boot log', async (version, reason) => {
      setEnv('FAKE_BOOT_FAIL', '1');
      setEnv('FAKE_LIMA_VERSION', version);
      try {
        const p = new LimaProvider({ dataDir: path.join(suite.dir, `d2-${version}`), timeout: '1m' });
        const err = await p.create({ name: 'slow', cpus: 1, memoryMiB: 1024, diskGiB: 5 }, () => undefined).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(Error);
        const msg = (err as Error).message;
        expect(msg).toMatch(/`limactl start --name=slow .*` failed \(exit 1\)/);
        expect(msg).toContain(reason);
        expect(msg).not.toContain('level=fatal');
        expect(msg).toMatch(/last lines of serial\.log:\n[\s\S]*Err:1 http:\/\/archive\.ubuntu\.com/);
      } finally {
        setEnv('FAKE_BOOT_FAIL', undefined);
        setEnv('FAKE_LIMA_VERSION', undefined);
      }
    });
});

describe('multipass provider (stand-in multipass)', () => {
  it('launches with our key in the cloud-init, reads state and IPv4, stops, starts and purges', async () => {
    const dataDir = path.join(suite.dir, 'd3');
    // The host's interfaces as on a Linux host with the snap's bridge: the host's address on the VM's network is its address.
    const mpqemubr0 = { address: '10.74.70.1', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '52:54:00:00:00:01', internal: false, cidr: '10.74.70.1/24' };
    const p = new MultipassProvider({ dataDir, hostInterfaces: () => ({ mpqemubr0: [mpqemubr0] }) });
    expect(await p.available()).toMatchObject({ ok: true });
    const info = await p.create({ name: 'mp-1', cpus: 2, memoryMiB: 2048, diskGiB: 10 }, () => undefined);
    expect(info).toMatchObject({ name: 'mp-1', state: 'Running', ssh: { port: 22, user: 'root' } });
    expect(info.internalIP).toMatch(/^10\.74\.70\./);
    expect(info.ssh?.host).toBe(info.internalIP);
    expect(info.hostAddress).toBe('10.74.70.1');
    const launch = suite.fakes.calls().find((c) => c.argv[0] === 'launch');
    expect(launch?.argv.slice(0, 3)).toEqual(['launch', '24.04', '--name']);
    expect(launch?.argv[3]).toMatch(/^fl[0-9a-f]{6}-mp-1$/);
    expect((await p.list()).map((m) => m.name)).toEqual(['mp-1']);
    await p.stop('mp-1');
    expect((await p.list())[0].state).toBe('Stopped');
    expect((await p.start('mp-1')).state).toBe('Running');
    await p.delete('mp-1');
    expect(await p.list()).toEqual([]);
    expect(suite.fakes.calls().some((c) => c.argv[0] === 'delete' && c.argv.includes('--purge'))).toBe(true);
  });

  it('only lists instances it launched, and says why a launch failed', async () => {
    const p = new MultipassProvider({ dataDir: path.join(suite.dir, 'd4') });
    expect(await p.list()).toEqual([]);
    setEnv('FAKE_BOOT_FAIL', '1');
    try {
      await expect(p.create({ name: 'mp-2', cpus: 1, memoryMiB: 1024, diskGiB: 5 }, () => undefined)).rejects.toThrow(/multipass launch 24\.04 --name fl[0-9a-f]{6}-mp-2 .* failed \(exit 5\): Timed out waiting for instance launch\./s);
    } finally {
      setEnv('FAKE_BOOT_FAIL', undefined);
    }
  });
});

describe('machine controller with a VM provider (stand-in limactl)', () => {
  let c: TestCluster;
  beforeAll(async () => { c = await startTestCluster(); });
  afterAll(async () => { await c.stop(); });

  it('a provider that cannot run here: Failed saying why, and the Machine can still be deleted', async () => {
    const mgr = startNodeManager(c.core, { limactl: path.join(suite.dir, 'nowhere', 'limactl'), log: () => undefined });
    try {
      await c.client.create<Machine & KObject>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'vm-0' }, spec: { provider: 'lima', running: true } });
      const m = await waitFor(async () => {
        const x = await c.client.get<Machine & KObject>(R.machines, 'vm-0');
        return x.status?.phase === 'Failed' ? x : undefined;
      }, 'vm-0 Failed', 20_000);
      expect(m.status?.message).toMatch(/^checking the provider: lima is not available here: limactl is not installed/);
      await c.client.delete(R.machines, 'vm-0');
      await waitFor(async () => { try { await c.client.get(R.machines, 'vm-0'); return false; } catch { return true; } }, 'vm-0 gone', 10_000);
    } finally {
      mgr.stop();
    }
  });

  it('an unreachable VM ends Failed with the reason, and the half-made instance is deleted', async () => {
    const mgr = startNodeManager(c.core, { log: () => undefined });
    try {
      await c.client.create<Machine & KObject>(R.machines, { apiVersion: 'flotilla.dev/v1alpha1', kind: 'Machine', metadata: { name: 'vm-1' }, spec: { provider: 'lima', cpus: 2, memoryMiB: 2048, diskGiB: 10, running: true } });
      const m = await waitFor(async () => {
        const x = await c.client.get<Machine & KObject>(R.machines, 'vm-1');
        return x.status?.phase === 'Failed' ? x : undefined;
      }, 'vm-1 Failed', 90_000); // SSH is retried before the machine fails (about 25 s on a quiet machine)
      expect(m.status?.message).toMatch(/^connecting over SSH: ssh to root@127\.0\.0\.1:\d+: .*ECONNREFUSED/);
      expect(m.status?.message).toMatch(/the half-made machine was removed/);
      expect(await (mgr.providers.get('lima') as LimaProvider).instances()).toEqual([]);
      await c.client.delete(R.machines, 'vm-1');
      await waitFor(async () => { try { await c.client.get(R.machines, 'vm-1'); return false; } catch { return true; } }, 'vm-1 gone', 10_000);
    } finally {
      mgr.stop();
    }
  }, 120_000);
});
