// The horizontal pod autoscaler alone on an in-process control plane: the test plays the nodes'
// metrics reports (the metrics.k8s.io source) and the Deployment's pods; the HPA scales the
// Deployment up when CPU is above target, back down after its stabilisation window, stays within
// tolerance and bounds, and says why in its conditions and events.
import { describe, expect, it } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler, Pod, PodMetrics } from '../../../main/api/types';
import { controlPlaneEach } from '../../helpers/control-plane';
import { registerNode, runPod } from '../../helpers/node-standin';

const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
const HPA = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' } as const;
const POD = { apiVersion: 'v1', kind: 'Pod' } as const;

/** CPU use per pod in millicores, as the nodes would report it; pods not listed report nothing. */
let usage = new Map<string, number>();
const cp = controlPlaneEach('horizontal-pod-autoscaler', { hpaSyncPeriodMs: 100 }, async (plane) => {
  usage = new Map();
  plane.ctx.metrics = {
    nodeMetrics: () => [],
    podMetrics: () => [...usage].map(([name, m]): PodMetrics => ({
      metadata: { name, namespace: 'default' }, timestamp: new Date().toISOString(), window: '10s', containers: [{ name: 'c', usage: { cpu: `${m}m`, memory: '1Mi' } }],
    })),
  };
  await registerNode(plane, 'n1');
});

async function deployment(replicas: number): Promise<void> {
  await cp.create<Deployment>({
    ...DEPLOY, metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
}

/** Plays the ReplicaSet controller and kubelet: `n` running pods of 100m CPU request, each using `milli`. */
async function pods(n: number, milli: number): Promise<void> {
  for (const p of await cp.list<Pod>(POD, 'default')) await cp.delete(POD, p.metadata!.name!, { namespace: 'default', gracePeriodSeconds: 0 });
  usage.clear();
  for (let i = 0; i < n; i++) {
    const p = await cp.create<Pod>({
      ...POD, metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] },
    });
    // Ready for a minute already: the autoscaler counts a new pod's CPU only once a sample covers a whole window since.
    await runPod(cp, p, 'n1', true, new Date(Date.now() - 60_000));
    usage.set(`web-${i}`, milli);
  }
}

async function hpa(spec: Partial<HorizontalPodAutoscaler['spec']>): Promise<void> {
  await cp.create<HorizontalPodAutoscaler>({
    ...HPA, metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, ...spec },
  });
}

const replicas = async () => (await cp.get<Deployment>(DEPLOY, 'web', 'default')).spec?.replicas;
const status = async () => (await cp.get<HorizontalPodAutoscaler>(HPA, 'web', 'default')).status;
const cpu50 = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }];
const fast = { scaleDown: { stabilizationWindowSeconds: 1 } };

describe('horizontal pod autoscaler', () => {
  it('scales up on CPU above target, reports status, and back down after the stabilisation window', async () => {
    await deployment(1);
    await pods(1, 150); // 150% of requests against a 50% target: 3 pods
    await hpa({ metrics: cpu50, behavior: fast });
    await cp.waitFor(async () => (await replicas()) === 3, 'scaled to 3');
    const s = await cp.waitFor(async () => { const x = await status(); return x?.lastScaleTime ? x : undefined; }, 'status');
    expect(s.desiredReplicas).toBe(3);
    expect(s.currentMetrics?.[0]).toEqual({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 150, averageValue: '150m' } } });
    expect(s.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale'], ['ScalingActive', 'True', 'ValidMetricFound'], ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ]);
    const ev = await cp.waitFor(async () => (await cp.events('web', 'default')).find((e) => e.reason === 'SuccessfulRescale'), 'rescale event');
    expect(ev.message).toBe('New size: 3; reason: cpu resource utilization (percentage of request) above target');

    await pods(3, 52); // 52% against 50%: within the tolerance of 0.1
    await cp.waitFor(async () => (await status())?.currentMetrics?.[0]?.resource?.current.averageUtilization === 52, 'reading 52%');
    expect(await replicas()).toBe(3); // within tolerance 0.1

    await pods(3, 10); // 10%: one pod is enough, once the 1 s window has passed
    await cp.waitFor(async () => (await replicas()) === 1, 'scaled back to 1', 8_000);
    const down = await cp.waitFor(async () => (await cp.events('web', 'default')).find((e) => e.message === 'New size: 1; reason: All metrics below target'), 'down event');
    expect(down.type).toBe('Normal');
  });

  it('keeps within maxReplicas and says so', async () => {
    await deployment(1);
    await pods(1, 1000); // 1000%: 20 pods wanted
    await hpa({ metrics: cpu50, maxReplicas: 3 });
    await cp.waitFor(async () => (await replicas()) === 3, 'scaled to max');
    const s = await cp.waitFor(async () => {
      const x = await status();
      return x?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True') ? x : undefined;
    }, 'limited');
    expect(s.conditions?.find((c) => c.type === 'ScalingLimited')).toMatchObject({ reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
  });

  it('without metrics it does not scale and says why', async () => {
    await deployment(2);
    await hpa({ metrics: cpu50 });
    const s = await cp.waitFor(async () => {
      const x = await status();
      return x?.conditions?.find((c) => c.type === 'ScalingActive' && c.status === 'False') ? x : undefined;
    }, 'ScalingActive False');
    expect(s.conditions?.find((c) => c.type === 'ScalingActive')).toMatchObject({
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(await replicas()).toBe(2);
  });

  it('refuses maxReplicas below minReplicas with Kubernetes\' message, and defaults an empty metric list to 80% CPU', async () => {
    await expect(hpa({ minReplicas: 3, maxReplicas: 2 })).rejects.toThrow('spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
    await hpa({});
    const h = await cp.get<HorizontalPodAutoscaler>(HPA, 'web', 'default');
    expect(h.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it("scales on one container's CPU (ContainerResource) and names the container when its metrics are missing", async () => {
    await deployment(1);
    await pods(1, 150);
    await hpa({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'c', target: { type: 'Utilization', averageUtilization: 50 } } }] });
    await cp.waitFor(async () => (await replicas()) === 3, 'scaled to 3');
    const s = await cp.waitFor(async () => { const x = await status(); return x?.currentMetrics?.length ? x : undefined; }, 'status');
    expect(s.currentMetrics?.[0]).toEqual({ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'c', current: { averageUtilization: 150, averageValue: '150m' } } });
    const ev = await cp.waitFor(async () => (await cp.events('web', 'default')).find((e) => e.reason === 'SuccessfulRescale'), 'rescale event');
    expect(ev.message).toBe('New size: 3; reason: cpu container resource utilization (percentage of request) above target');
    await cp.patch<HorizontalPodAutoscaler>(HPA, 'web', 'default', { spec: { metrics: [
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'sidecar', target: { type: 'Utilization', averageUtilization: 50 } } },
    ] } });
    const failed = await cp.waitFor(async () => (await status())?.conditions?.find((c) => c.type === 'ScalingActive' && c.status === 'False'), 'ScalingActive False');
    expect(failed).toMatchObject({
      reason: 'FailedGetContainerResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: container sidecar not present in metrics for pod default/web-0',
    });
    const warning = await cp.waitFor(async () => (await cp.events('web', 'default')).find((e) => e.reason === 'FailedComputeMetricsReplicas'), 'warning');
    expect(warning.message).toBe('invalid metrics (1 invalid out of 1), first error is: failed to get sidecar container metric value: failed to get cpu utilization: '
      + 'unable to get metrics for resource cpu: container sidecar not present in metrics for pod default/web-0');
  });
});
