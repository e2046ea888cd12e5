// Node IPAM: 10.244.N.0/24 per node, stable across a restart of the control plane (rebuilt from
// the nodes), released when a node is deleted; a cluster CIDR of its own (--cluster-cidr), kept with the data dir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KObject, Node } from '../../../main/api/types';
import type { Core } from '../../../main/core';
import { startCore } from '../../../main/core';
import { R } from '../../../main/client/refs';
import { waitFor } from '../../helpers/cluster';
import { clusterNetworkFile } from '../../../main/store/cluster-network-setting';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ipam-'));
let core: Core | undefined;
afterAll(async () => {
  await core?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const node = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: {} });
const cidrs = async (c: Core) => Object.fromEntries((await c.client.list<Node>(R.nodes)).items.map((n) => [n.metadata!.name!, n.spec?.podCIDR]));

describe('node ipam', () => {
  it('allocates, keeps allocations across restarts, and reuses released ranges', async () => {
    const log = () => undefined;
    core = await startCore({ dataDir: dir, apiPort: 0, log, controllers: { log, controllers: ['node-ipam'], scheduler: false } });
    for (const n of ['a', 'b', 'c']) await core.client.create(R.nodes, node(n));
    const first = await waitFor(async () => { const m = await cidrs(core!); return Object.values(m).every(Boolean) ? m : undefined; }, 'cidrs', 10_000);
    expect(Object.values(first).sort()).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    await core.client.delete(R.nodes, 'b');
    await core.stop();

    core = await startCore({ dataDir: dir, apiPort: 0, log, controllers: { log, controllers: ['node-ipam'], scheduler: false } });
    await core.client.create(R.nodes, node('d'));
    await core.client.create(R.nodes, node('e'));
    const second = await waitFor(async () => { const m = await cidrs(core!); return Object.values(m).every(Boolean) && Object.keys(m).length === 4 ? m : undefined; }, 'cidrs after restart', 10_000);
    expect(second.a).toBe(first.a);
    expect(second.c).toBe(first.c);
    expect([second.d, second.e].sort()).toEqual([first.b, '10.244.3.0/24'].sort());
  });

  it('carves a cluster CIDR of its own, keeps it with the data dir and refuses another one on a later start', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-ipam-cidr-'));
    const log = () => undefined;
    const start = (clusterCIDR?: string) => startCore({ dataDir: own, apiPort: 0, log, clusterCIDR, controllers: { log, controllers: ['node-ipam'], scheduler: false } });
    let c: Core | undefined;
    try {
      c = await start('10.130.32.0/20');
      expect(c.clusterCIDR).toBe('10.130.32.0/20');
      for (const n of ['a', 'b']) await c.client.create(R.nodes, node(n));
      const got = await waitFor(async () => { const m = await cidrs(c!); return Object.values(m).every(Boolean) ? m : undefined; }, 'cidrs', 10_000);
      expect(Object.values(got).sort()).toEqual(['10.130.32.0/24', '10.130.33.0/24']);
      await c.stop();
      c = undefined;
      expect(JSON.parse(fs.readFileSync(clusterNetworkFile(own), 'utf8'))).toEqual({ clusterCIDR: '10.130.32.0/20' });

      await expect(start('10.244.0.0/16')).rejects.toThrow(
        `data dir ${own} was created with cluster CIDR 10.130.32.0/20; it cannot start with --cluster-cidr 10.244.0.0/16`);
      // Refused before anything was written: the saved network is the same, the nodes keep their ranges.
      expect(JSON.parse(fs.readFileSync(clusterNetworkFile(own), 'utf8'))).toEqual({ clusterCIDR: '10.130.32.0/20' });
      c = await start();
      expect(c.clusterCIDR).toBe('10.130.32.0/20');
      await c.client.create(R.nodes, node('x'));
      const after = await waitFor(async () => { const m = await cidrs(c!); return m.x; }, 'x\'s cidr', 10_000);
      expect(after).toBe('10.130.34.0/24');
    } finally {
      await c?.stop();
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  it('takes a data dir made before the setting existed for the default network, which it was made with', async () => {
    // The data dir of the first test, its cluster-network.json removed: as one written by an older version.
    await core?.stop();
    core = undefined;
    fs.rmSync(clusterNetworkFile(dir));
    await expect(startCore({ dataDir: dir, apiPort: 0, log: () => undefined, clusterCIDR: '10.130.0.0/16', controllers: false }))
      .rejects.toThrow('was created with cluster CIDR 10.244.0.0/16');
    expect(JSON.parse(fs.readFileSync(clusterNetworkFile(dir), 'utf8'))).toEqual({ clusterCIDR: '10.244.0.0/16' });
  });
});
