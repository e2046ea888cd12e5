// Two data dirs set up by hand with the same sandbox network (same bridge, subnet and names): the
// second one's node of the same name must not adopt, halt or destroy the first one's, and its
// `down` must leave the first one's node and the bridge it uses in place.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { downMachines } from '../../../main/nodes/down';
import { nodePids } from '../../../main/nodes/providers/sandbox/cgroup';
import { nodeUp } from '../../../main/nodes/providers/sandbox/node';
import { leftovers, skipNodes, uniqueSandbox } from './support';

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
    expect(await nodeUp(dataA(), sa)).toBe(true);
    expect(sshdLoop(sa.cgroup)).toBe(before);

    const r = await downMachines(dataB());
    expect(r.errors).toEqual([expect.stringMatching(new RegExp(`bridge ${cfg.bridge} left in place: it still carries ${sa.veth}`))]);
    expect(fs.existsSync(`/sys/class/net/${cfg.bridge}`)).toBe(true);
    expect(await nodeUp(dataA(), sa)).toBe(true);
    expect(sshdLoop(sa.cgroup)).toBe(before);
  });
});
