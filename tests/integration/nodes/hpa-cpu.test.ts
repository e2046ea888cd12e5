// The autoscaler end to end on a real sandbox node: a Deployment whose container burns CPU (busybox
// `while :; do :; done`, capped by a 200m limit against a 100m request) is scaled up by an HPA made
// with `kubectl autoscale` (autoscaling/v1) from the agent's CPU stats (metrics.k8s.io); once the burn
// stops (the Deployment's command patched to sleep) it comes back down to minReplicas after a short
// scale-down stabilisation window. The HPA syncs every 2 s here.
import { describe, expect, it } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';

const IMAGE = 'docker.io/flotilla/hello:1';

function burner(command: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'burn', namespace: 'default' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'burn' } },
      template: {
        metadata: { labels: { app: 'burn' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: IMAGE, command: ['sh', '-c', command], resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } } }],
        },
      },
    },
  });
}

describe.skipIf(skipWithoutAgent)('the autoscaler on a sandbox node', () => {
  const { c, ok } = sandboxCluster(9, { core: { controllers: { hpaSyncPeriodMs: 2000 } }, okTimeoutMs: 120_000 });
  const hpa = (): Promise<HorizontalPodAutoscaler> => c.client.get<HorizontalPodAutoscaler>(R.horizontalpodautoscalers, 'burn', 'default');

  it('scales a CPU-burning Deployment up, and back down once the burn stops', async () => {
    await ok(['apply', '-f', '-'], burner('while :; do :; done'));
    await ok(['rollout', 'status', 'deploy/burn', '--timeout=90s']);
    await ok(['autoscale', 'deploy/burn', '--cpu-percent=50', '--min=1', '--max=3']);
    await ok(['patch', 'hpa', 'burn', '--type=merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":5}}}}']);

    const up = await waitFor(async () => {
      const h = await hpa();
      return (h.status?.desiredReplicas ?? 0) === 3 ? h : undefined;
    }, 'the HPA to want 3 replicas', 60_000, 500);
    expect(up.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBeGreaterThan(50);
    await waitFor(async () => (await c.client.get<Deployment>(R.deployments, 'burn', 'default')).spec?.replicas === 3, 'the Deployment scaled to 3', 10_000, 250);
    expect(await ok(['get', 'hpa', 'burn'])).toMatch(/burn\s+Deployment\/burn\s+cpu: \d+%\/50%\s+1\s+3\s+\d\s+\d+s/);

    await ok(['patch', 'deploy', 'burn', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/command', value: ['sh', '-c', 'sleep 3600'] }])]);
    await waitFor(async () => (await c.client.get<Deployment>(R.deployments, 'burn', 'default')).spec?.replicas === 1, 'the Deployment back at 1', 90_000, 500);
    const down = await hpa();
    expect(down.status?.desiredReplicas).toBe(1);
    expect(down.status?.currentMetrics?.[0]?.resource?.current.averageUtilization).toBeLessThan(50);
    expect(down.status?.conditions?.find((x) => x.type === 'AbleToScale')?.message).toMatch(/^the HPA controller was able to update the target scale to 1$|^recommended size matches current size$/);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=burn,involvedObject.kind=HorizontalPodAutoscaler']);
    expect(events).toMatch(/SuccessfulRescale\s+horizontalpodautoscaler\/burn\s+New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/);
    // While the rollout's new pods have no CPU sample a whole window after turning Ready, the HPA cannot compute (as
    // kube's: FailedGetResourceMetric, "did not receive metrics for targeted pods (pods might be unready)"), two warning
    // events a sync at this test's 2 s period; past the event spam filter's burst of 25 for the HPA, its later events,
    // the scale-down's among them, are dropped, as kube-controller-manager's are. So the scale-down is read from the
    // status above, not from an event.
    expect(events).toMatch(/FailedGetResourceMetric|New size: 1; reason: All metrics below target/);
  }, 200_000);
});
