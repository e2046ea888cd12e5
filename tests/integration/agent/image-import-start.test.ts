// The node's images go in while the agent registers the node and sets up its pod network: the Node exists
// (with its podCIDR's CNI config written) while the imports are still held, but it is reported Ready, and
// its pods are synced, only once every image is in. A `ctr` stand-in holds the imports until the test lets them go.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../../../main/api/types';
import type { Agent } from '../../../vm-images/agent/agent';
import { CNI_CONFIG_FILE } from '../../../vm-images/agent/services/pod-network';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { assignPodCIDR, HELLO, newTestAgent, NODES, PODS, podSpecOf, startTestNode, type TestNode } from './support';

describe.skipIf(skipUnlessRoot)('agent start: images imported while the node registers', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  let started: Promise<void>;
  let release: string;
  const logs: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ controllers: false });
    node = await startTestNode(cluster);
    release = join(node.dir, 'release-imports');
    const ctr = join(node.dir, 'held-ctr.sh');
    writeFileSync(ctr, `#!/bin/sh\nwhile [ ! -e '${release}' ]; do sleep 0.05; done\nexec ctr "$@"\n`);
    chmodSync(ctr, 0o755);
    agent = newTestAgent(node, logs, { ctrBin: ctr });
    started = agent.start();
    started.catch(() => undefined);
  });
  afterAll(async () => {
    if (release) writeFileSync(release, '');
    await agent?.stop();
    await node?.teardown();
    await cluster?.stop();
  });

  const ready = async (): Promise<string | undefined> =>
    (await cluster.client.get<Node>(NODES, node.name)).status?.conditions?.find((c) => c.type === 'Ready')?.status;

  it('registers the node and sets up its pod network before the images are in, but is not Ready', async () => {
    await waitFor(async () => (await cluster.client.get<Node>(NODES, node.name).catch(() => undefined)) !== undefined, 'node registered while the imports are held');
    await assignPodCIDR(cluster.client, node.name, node.podCIDR);
    await waitFor(() => existsSync(join(node.config.cniConfDir, CNI_CONFIG_FILE)), 'the CNI config written while the imports are held');
    await cluster.client.create<Pod>(PODS, podSpecOf('early', node.name, { containers: [{ name: 'c', image: HELLO }] }));
    expect(await ready()).toBe('False');
    expect(logs.some((l) => l.startsWith('imported '))).toBe(false);
    expect((await cluster.client.get<Pod>(PODS, 'early', 'default')).status?.phase ?? 'Pending').toBe('Pending');
  });

  it('turns Ready and runs the pod once the images are in', async () => {
    writeFileSync(release, '');
    await started;
    expect(logs.filter((l) => l.startsWith('imported ')).length).toBe(node.config.imageTarballs.length);
    await waitFor(async () => (await ready()) === 'True', 'node Ready after the imports');
    await waitFor(async () => (await cluster.client.get<Pod>(PODS, 'early', 'default')).status?.phase === 'Running', 'pod Running after the imports', 20_000);
  });
});
