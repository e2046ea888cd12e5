// Machines that are not this data dir's must never be adopted, halted or destroyed. Sandbox: two
// data dirs set up by hand with the same sandbox network (same bridge, subnet and names): the second
// one's node of the same name must leave the first one's alone, and its `down` must leave the first
// one's node and the bridge it uses in place. Multipass (stand-in, stand-ins.ts): the host's
// instances are everyone's, and the user's own `node-1` — or even one named like Flotilla's — is
// never launched into, started, stopped or deleted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { downMachines } from '../../../main/nodes/down';
import { nodePids } from '../../../main/nodes/providers/sandbox/cgroup';
import { nodeRunning, tcpOpen } from '../../../main/nodes/providers/sandbox/node';
import { leftovers, skipNodes, uniqueSandbox } from './support';
import { MultipassProvider } from '../../../main/nodes/providers/multipass';
import { MultipassRecords } from '../../../main/nodes/providers/multipass-records';
import { useStandIns } from './stand-ins';

/** The node's supervised sshd loop (it lives as long as the node; sshd's per-connection children come and go). */
function sshdLoop(cgroup: string): number | undefined {
  return nodePids(cgroup).find((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('while :; do /usr/sbin/sshd'); } catch { return false; }
  });
}

describe.skipIf(skipNodes)('a node of another data dir with the same names', () => {
  const cfg = uniqueSandbox(5);
  let dir: string;
  const dataA = (): string => path.join(dir, 'a');
  const dataB = (): string => path.join(dir, 'b');
  let a: SandboxProvider;
  let b: SandboxProvider;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-foreign-'));
    a = new SandboxProvider({ dataDir: dataA(), config: cfg });
    b = new SandboxProvider({ dataDir: dataB(), config: cfg });
  });

  afterAll(async () => {
    const r = [...(await downMachines(dataA())).errors, ...(await downMachines(dataB())).errors];
    const left = leftovers(cfg, dataA());
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r).toEqual([]);
    expect(left).toEqual([]);
  });

  it('is neither adopted nor destroyed, and down of the second data dir keeps it and its bridge', async () => {
    await a.create({ name: 'g1', cpus: 1, memoryMiB: 512, diskGiB: 5 }, () => undefined);
    const sa = a.state('g1')!;
    const before = sshdLoop(sa.cgroup);
    expect(before).toBeGreaterThan(0);

    await expect(b.create({ name: 'g1', cpus: 1, memoryMiB: 512, diskGiB: 5 }, () => undefined)).rejects.toThrow(/belong to a node of another data dir/);
    expect(await b.list()).toEqual([expect.objectContaining({ name: 'g1', state: 'Stopped' })]);
    await b.delete('g1');
    expect(b.state('g1')).toBeUndefined();
    expect(await nodeRunning(dataA(), sa)).toBe(true);
    expect(await tcpOpen(sa.ip, 22, 2000)).toBe(true);
    expect(sshdLoop(sa.cgroup)).toBe(before);

    const r = await downMachines(dataB());
    expect(r.errors).toEqual([expect.stringMatching(new RegExp(`bridge ${cfg.bridge} left in place: it still carries ${sa.veth}`))]);
    expect(fs.existsSync(`/sys/class/net/${cfg.bridge}`)).toBe(true);
    expect(await nodeRunning(dataA(), sa)).toBe(true);
    expect(await tcpOpen(sa.ip, 22, 2000)).toBe(true);
    expect(sshdLoop(sa.cgroup)).toBe(before);
  });
});

describe('the user\'s own Multipass instances (stand-in multipass)', () => {
  const suite = useStandIns('flotilla-foreign-mp-');
  const spec = { name: 'node-1', cpus: 1, memoryMiB: 1024, diskGiB: 5 };

  it('a foreign node-1 is neither adopted nor deleted; Flotilla\'s node-1 is its own instance', async () => {
    suite.fakes.seedMultipass({ 'node-1': { state: 'Running', ipv4: ['10.74.70.23'] } });
    const dataDir = path.join(suite.dir, 'd');
    const p = new MultipassProvider({ dataDir });
    const info = await p.create(spec, () => undefined);
    const ours = Object.keys(suite.fakes.multipassState().instances).find((n) => n.endsWith('-node-1'));
    expect(ours).toMatch(/^fl[0-9a-f]{6}-node-1$/);
    expect(info.internalIP).not.toBe('10.74.70.23');
    expect((await p.list()).map((m) => m.name)).toEqual(['node-1']);
    await p.stop('node-1');
    await p.delete('node-1');
    expect((await downMachines(dataDir)).errors).toEqual([]);
    const left = suite.fakes.multipassState().instances;
    expect(left['node-1']).toEqual({ state: 'Running', ipv4: ['10.74.70.23'] });
    expect(left[ours!]).toBeUndefined();
    expect(suite.fakes.calls().filter((c) => c.argv.includes('node-1')).map((c) => c.argv[0])).toEqual([]);
  });

  it('an instance that merely has the name Flotilla would give is refused, and cleaning up after the refusal leaves it', async () => {
    const dataDir = path.join(suite.dir, 'e');
    const taken = new MultipassRecords(dataDir).instanceName('node-1');
    suite.fakes.seedMultipass({ [taken]: { state: 'Stopped', ipv4: [] } });
    const p = new MultipassProvider({ dataDir });
    await expect(p.create(spec, () => undefined)).rejects.toThrow(`a Multipass instance named ${taken} already exists and was not made by this data dir; Flotilla leaves it alone`);
    await expect(p.start('node-1')).rejects.toThrow(/has no Multipass instance made by this data dir/);
    await p.delete('node-1'); // what the machine controller does after a failed create
    expect(await p.list()).toEqual([]);
    expect(suite.fakes.multipassState().instances[taken]).toEqual({ state: 'Stopped', ipv4: [] });
    expect(suite.fakes.calls().filter((c) => c.argv.includes(taken)).map((c) => c.argv[0])).toEqual(['info']);
  });
});
