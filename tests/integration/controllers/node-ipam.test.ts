// Node IPAM: 10.244.N.0/24 per node, stable across a restart of the control plane (rebuilt from
// the nodes), released when a node is deleted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KObject, Node } from '../../../main/api/types';
import type { Core } from '../../../main/core';
import { startCore } from '../../../main/core';
import { R } from '../../../main/client/refs';
import { waitFor } from '../../helpers/cluster';

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
});
