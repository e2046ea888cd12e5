// One naming scheme for new nodes, whoever adds them (the UI's Add node through the bridge, serve
// --nodes, `flotilla node add`): node-N with the lowest N no Machine or Node has, against a real
// API server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { addMachine } from '../../../main/bridge/machines';
import { ensureMachines } from '../../../main/nodes';
import { lowestFreeNodeName } from '../../../main/nodes/machine-names';
import { R } from '../../../main/client/refs';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const add = async () => (await addMachine(c.client, { provider: 'lima', cpus: 1, memoryMiB: 1024, diskGiB: 10 })).metadata?.name;
const names = async () => (await c.client.list(R.machines)).items.map((m) => m.metadata?.name ?? '').sort();

describe('new node names', () => {
  it('are node-N with the lowest free N', () => {
    expect(lowestFreeNodeName([])).toBe('node-1');
    expect(lowestFreeNodeName(['node-1', 'node-2', 'node-4', 'hollow-node-0'])).toBe('node-3');
    expect(lowestFreeNodeName(['node-2'])).toBe('node-1');
  });

  it('the UI\'s Add node counts up, skips names Nodes already have, and reuses a freed number', async () => {
    expect(await add()).toBe('node-1');
    expect(await add()).toBe('node-2');
    await c.client.create<KObject>(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-3' } });
    expect(await add()).toBe('node-4');
    await c.client.delete(R.machines, 'node-1');
    expect(await add()).toBe('node-1');
    expect(await names()).toEqual(['node-1', 'node-2', 'node-4']);
  });

  it('serve --nodes follows the same scheme, and adds made at once get distinct names', async () => {
    const created = await ensureMachines(c.client, 5, 'lima');
    expect(created).toEqual(['node-5', 'node-6']);
    const together = await Promise.all([add(), add(), add()]);
    expect(new Set(together).size).toBe(3);
    expect(together.every((n) => /^node-(7|8|9)$/.test(n ?? ''))).toBe(true);
  });
});
