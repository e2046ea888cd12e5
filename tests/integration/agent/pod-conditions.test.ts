// The agent's pod status writes keep the conditions the kubelet does not own, and Ready waits for the readiness
// gates (the kubelet's mergePodStatus and GeneratePodReadyCondition), against an in-process API server: the agent's
// status writer is given the status its pod worker would publish; a controller's condition and an eviction's
// DisruptionTarget survive the write; Ready is False (ReadinessGatesNotReady, the kubelet's message) until the
// gate's condition is True in the API, then True.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../../../main/api/types';
import { PodStatusWriter } from '../../../vm-images/agent/sync/status-writer';
import { startControlPlane, type ControlPlane } from '../../helpers/control-plane';
import { withConditionsOf } from '../../../vm-images/agent/pods/pod-conditions';
import { resourceForKind } from '../../../main/api/resources';

const POD = { apiVersion: 'v1', kind: 'Pod' };
const PODS = resourceForKind('v1', 'Pod')!;
let cp: ControlPlane;
let writer: PodStatusWriter;

beforeEach(async () => {
  cp = await startControlPlane();
  writer = new PodStatusWriter({ client: cp.client, current: (ns, name) => cp.registry.tryGet(PODS, ns, name) as Pod | undefined });
});
afterEach(async () => {
  writer?.stop();
  await cp?.stop();
});

/** What the agent's pod worker publishes for a running pod whose containers are ready. */
function agentStatus(ready: boolean): PodStatus {
  const t = '2026-01-01T00:00:00Z';
  const c = (type: string, ok = true) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: t });
  return {
    phase: 'Running', podIP: '10.244.0.9', startTime: t,
    conditions: [c('PodReadyToStartContainers'), c('Initialized'), c('Ready', ready), c('ContainersReady', ready), c('PodScheduled')],
    containerStatuses: [{ name: 'app', image: 'app:1', imageID: '', ready, restartCount: 0, started: true, state: { running: { startedAt: t } } }],
  };
}

async function boundPod(name: string, spec: Partial<NonNullable<Pod['spec']>> = {}): Promise<Pod> {
  await cp.create({ ...POD, metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'app:1' }], ...spec } } as Pod);
  await cp.client.bind('default', name, 'n1');
  return cp.get<Pod>(POD, name, 'default');
}

const conditionOf = async (name: string, type: string) => (await cp.get<Pod>(POD, name, 'default')).status?.conditions?.find((c) => c.type === type);

describe("the agent's pod status writes", () => {
  it("keep a controller's condition and DisruptionTarget; the kubelet's own conditions are the agent's", async () => {
    const pod = await boundPod('keep');
    await cp.patchStatus(POD, 'keep', 'default', { conditions: [
      { type: 'example.com/Warm', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting', lastTransitionTime: '2026-01-01T00:00:00Z' },
    ] });
    writer.set(pod.metadata!.uid!, pod, agentStatus(true));
    await writer.flush();
    const types = (await cp.get<Pod>(POD, 'keep', 'default')).status?.conditions?.map((c) => `${c.type}=${c.status}`);
    expect(types).toEqual(['example.com/Warm=True', 'DisruptionTarget=True', 'PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  });

  it("hold Ready at False until every readiness gate's condition is True", async () => {
    const pod = await boundPod('gated', { readinessGates: [{ conditionType: 'example.com/InRotation' }] });
    writer.set(pod.metadata!.uid!, pod, agentStatus(true));
    await writer.flush();
    expect(await conditionOf('gated', 'Ready')).toEqual(expect.objectContaining({
      status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/InRotation" does not exist.',
    }));
    expect((await conditionOf('gated', 'ContainersReady'))?.status).toBe('True');

    await cp.patchStatus(POD, 'gated', 'default', { conditions: [{ type: 'example.com/InRotation', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
    writer.refresh(pod.metadata!.uid!);
    await writer.flush();
    expect((await conditionOf('gated', 'Ready'))?.message).toBe('the status of pod readiness gate "example.com/InRotation" is not "True", but False');

    await cp.patchStatus(POD, 'gated', 'default', { conditions: [{ type: 'example.com/InRotation', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] });
    writer.refresh(pod.metadata!.uid!);
    await writer.flush();
    const ready = await conditionOf('gated', 'Ready');
    expect(ready?.status).toBe('True');
    expect(ready?.reason).toBeUndefined();
  });

  it('leave a status without foreign conditions or gates as the agent built it', () => {
    const s = agentStatus(true);
    expect(withConditionsOf({ status: { conditions: s.conditions } }, { spec: { containers: [] } }, s, 'now')).toBe(s);
  });
});
