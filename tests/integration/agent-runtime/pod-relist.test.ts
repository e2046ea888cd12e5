// The relist (the kubelet's PLEG) against a real containerd: a pod whose containers all run is passed again only at
// its slow resync, so a container stopped behind the agent's back is noticed, and restarted, through the relist alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { PodManager } from '../../../vm-images/agent/pods/manager';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { makePod, podRunner, skipUnlessRoot, waitStatus } from './support';

const HELLO = 'docker.io/flotilla/hello:1';

describe.skipIf(skipUnlessRoot)('relist', () => {
  let t: TestContainerd;
  let pm: PodManager;

  beforeAll(async () => {
    t = await startTestContainerd();
    // A resync far beyond the test: only the relist can notice the runtime's change.
    pm = new PodManager(t.cri, { logDir: t.logDir, cgroupParent: t.cgroupParent, syncIntervalMs: 200, resyncIntervalMs: 600_000, backoffBaseMs: 300 });
  });
  const run = podRunner(() => ({ pm, t }));

  it('restarts a container stopped outside the agent within seconds, though the pod resyncs only every 10 minutes', async () => {
    const pod = await run(makePod('relisted', [{ name: 'c', image: HELLO, command: ['sleep', '1000'] }]));
    const first = await waitStatus(pm, pod, 'Running', (s) => s.containerStatuses?.[0]?.state?.running !== undefined);
    const id = (first.containerStatuses?.[0]?.containerID ?? '').replace(/^containerd:\/\//, '');
    expect(id).not.toBe('');
    await t.cri.stopContainer(id, 0);
    const st = await waitStatus(pm, pod, 'restarted after the relist saw it exit', (s) =>
      (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && s.containerStatuses?.[0]?.state?.running !== undefined, 10_000);
    expect(st.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
    expect(st.containerStatuses?.[0]?.containerID).not.toBe(first.containerStatuses?.[0]?.containerID);
  });
});
