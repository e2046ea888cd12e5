// The node's images go in while the agent registers the node and sets up its pod network: the Node exists
// (with its podCIDR's CNI config written) while the imports are still held, but it is reported Ready, and
// its pods are synced, only once the sandbox image is in; a pod whose image is still held waits for it (no
// pull, no ErrImagePull) and runs once it is in. A `ctr` stand-in holds the sandbox image's import and the
// others' until the test lets each go.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from '../../../main/api/types';
import type { Agent } from '../../../vm-images/agent/agent';
import { CNI_CONFIG_FILE } from '../../../vm-images/agent/services/pod-network';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { skipUnlessRoot } from '../../helpers/netns';
import { assignPodCIDR, HELLO, newTestAgent, NODES, PODS, podSpecOf, startTestNode, type TestNode } from './support';

const EVENTS = { group: '', version: 'v1', plural: 'events', namespaced: true };

describe.skipIf(skipUnlessRoot)('agent start: images imported while the node registers', () => {
  let cluster: TestCluster;
  let node: TestNode;
  let agent: Agent;
  let started: Promise<void>;
  let releasePause: string;
  let releaseRest: string;
  const logs: string[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster({ controllers: false });
    node = await startTestNode(cluster);
    releasePause = join(node.dir, 'release-pause');
    releaseRest = join(node.dir, 'release-rest');
    const ctr = join(node.dir, 'held-ctr.sh');
    writeFileSync(ctr, `#!/bin/sh\ncase "$*" in *pause.tar*) f='${releasePause}';; *) f='${releaseRest}';; esac\n`
      + 'while [ ! -e "$f" ]; do sleep 0.05; done\nexec ctr "$@"\n');
    chmodSync(ctr, 0o755);
    agent = newTestAgent(node, logs, { ctrBin: ctr });
    started = agent.start();
    started.catch(() => undefined);
  });
  afterAll(async () => {
    for (const f of [releasePause, releaseRest]) if (f) writeFileSync(f, '');
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

  it('turns Ready once the sandbox image is in; the pod waits for its image instead of pulling it', async () => {
    writeFileSync(releasePause, '');
    await started;
    await waitFor(async () => (await ready()) === 'True', 'node Ready after the sandbox image');
    expect(logs.filter((l) => l.startsWith('imported '))).toEqual(['imported docker.io/flotilla/pause:1']);
    // The pod is synced (its sandbox made) but its container waits for hello.tar: ContainerCreating, no pull.
    const pod = await waitFor(async () => {
      const p = await cluster.client.get<Pod>(PODS, 'early', 'default');
      return p.status?.containerStatuses?.[0]?.state?.waiting ? p : undefined;
    }, 'the pod synced, its container waiting');
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    expect(logs.filter((l) => l.startsWith('imported ')).length).toBe(1);
  });

  it('runs the pod once the rest of the images are in', async () => {
    writeFileSync(releaseRest, '');
    await waitFor(async () => (await cluster.client.get<Pod>(PODS, 'early', 'default')).status?.phase === 'Running', 'pod Running after the imports', 20_000);
    // The pod needed hello.tar alone: the other tarballs may still be going in.
    await waitFor(() => logs.filter((l) => l.startsWith('imported ')).length === node.config.imageTarballs.length, 'every tarball imported');
    const events = await cluster.client.list<Event>(EVENTS, { namespace: 'default', fieldSelector: 'involvedObject.name=early' });
    expect(events.items.map((e) => e.reason)).not.toContain('Pulling');
    expect(events.items.map((e) => e.message)).toContain(`Container image "${HELLO}" already present on machine`);
  });
});
