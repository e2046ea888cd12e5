// HorizontalPodAutoscalers with real kubectl: apply an autoscaling/v2 HPA, `kubectl get hpa` with
// its REFERENCE and TARGETS columns, the controller's status, and Kubernetes' validation message; the
// autoscaling/v1 version served by conversion (get, replace, patch, watch, server-side apply).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, HorizontalPodAutoscaler, KObject } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';
import { rawWatch } from '../../helpers/raw-watch';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

function hpaYaml(min: number, max: number): string {
  return `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: default
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: ${min}
  maxReplicas: ${max}
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
`;
}

describe('kubectl and HorizontalPodAutoscalers', () => {
  it('applies an HPA and lists it with its targets; refuses bad bounds', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('web', 2) as Deployment & KObject);
    const bad = await c.kubectl(['apply', '-f', '-'], { input: hpaYaml(3, 2) });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The HorizontalPodAutoscaler "web" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');

    await c.kubectlOk(['apply', '-f', '-'], { input: hpaYaml(1, 5) });
    // No node reports metrics here: the target is unknown, the replica count is the Deployment's.
    const out = await waitFor(async () => {
      const o = await c.kubectlOk(['get', 'hpa']);
      return /web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+2\s+\d+s/.test(o) ? o : undefined;
    }, 'kubectl get hpa', 20_000);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/);
    const cond = await c.kubectlOk(['get', 'hpa', 'web', '-o', 'jsonpath={.status.conditions[?(@.type=="ScalingActive")].reason}']);
    expect(cond).toBe('FailedGetResourceMetric');
    expect(await c.kubectlOk(['get', 'all'])).toContain('horizontalpodautoscaler.autoscaling/web');
    const described = await c.kubectlOk(['describe', 'hpa', 'web']);
    expect(described).toMatch(/Reference:\s+Deployment\/web/);
    expect(described).toMatch(/Min replicas:\s+1/);
  });

  it('kubectl autoscale posts autoscaling/v1: stored as v2 with a cpu Utilization metric, read back in both versions', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('api', 1) as Deployment & KObject);
    expect(await c.kubectlOk(['autoscale', 'deploy/api', '--cpu-percent=50', '--min=1', '--max=5'])).toContain('horizontalpodautoscaler.autoscaling/api autoscaled');
    const v2: HorizontalPodAutoscaler = await c.core.client.get(R.horizontalpodautoscalers, 'api', 'default');
    expect(v2.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    expect(v2.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });

    // A second metric and a behavior travel to v1 in Kubernetes' round-trip annotations, and come back on a v1 update.
    await c.kubectlOk(['patch', 'hpa', 'api', '--type=merge', '-p', JSON.stringify({
      spec: {
        metrics: [...v2.spec!.metrics!, { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 5 } },
      },
    })]);
    const v1 = JSON.parse(await c.kubectlOk(['get', 'horizontalpodautoscalers.v1.autoscaling', 'api', '-o', 'json'])) as KObject & {
      spec: { targetCPUUtilizationPercentage?: number; maxReplicas: number };
    };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
    expect(JSON.parse(v1.metadata!.annotations!['autoscaling.alpha.kubernetes.io/metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
    ]);
    expect(v1.metadata!.annotations!['autoscaling.alpha.kubernetes.io/behavior']).toContain('"stabilizationWindowSeconds":5');
    v1.spec.maxReplicas = 7;
    await c.kubectlOk(['replace', '-f', '-'], { input: JSON.stringify(v1) });
    const after: HorizontalPodAutoscaler = await c.core.client.get(R.horizontalpodautoscalers, 'api', 'default');
    expect(after.spec?.maxReplicas).toBe(7);
    expect(after.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu', 'memory']);
    expect(after.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(5);
    expect(after.metadata?.annotations ?? {}).toEqual({});

    const groups = JSON.parse(await c.kubectlOk(['get', '--raw', '/apis/autoscaling'])) as { versions: Array<{ version: string }>; preferredVersion: { version: string } };
    expect(groups.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(groups.preferredVersion.version).toBe('v2');
    expect(await c.kubectlOk(['api-versions'])).toMatch(/autoscaling\/v1\nautoscaling\/v2/);
    expect(await c.kubectlOk(['get', 'hpa', 'api'])).toMatch(/^api\s+Deployment\/api\s+cpu: <unknown>\/50%, memory: <unknown>\/100Mi\s+1\s+7\s+\d+\s+\d+s$/m);
    await c.kubectlOk(['delete', 'horizontalpodautoscalers.v1.autoscaling', 'api']);
  });

  it('patches autoscaling/v1 in its own form (merge, JSON, strategic) and watches it converted', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('v1web', 1) as Deployment & KObject);
    await c.kubectlOk(['autoscale', 'deploy/v1web', '--cpu-percent=60', '--min=1', '--max=4']);
    const v1 = 'horizontalpodautoscalers.v1.autoscaling';
    const base = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
    const w = rawWatch(c, `${base}?watch=1&fieldSelector=metadata.name%3Dv1web`);
    expect((await w.response).code).toBe(200);
    await waitFor(() => w.events.find((e) => e.type === 'ADDED'), 'ADDED');
    expect(w.events[0].object.apiVersion).toBe('autoscaling/v1');

    await c.kubectlOk(['patch', v1, 'v1web', '--type=merge', '-p', '{"spec":{"targetCPUUtilizationPercentage":75}}']);
    await c.kubectlOk(['patch', v1, 'v1web', '--type=json', '-p', '[{"op":"replace","path":"/spec/maxReplicas","value":9}]']);
    await c.kubectlOk(['patch', v1, 'v1web', '-p', '{"spec":{"minReplicas":2}}']);
    const stored: HorizontalPodAutoscaler = await c.core.client.get(R.horizontalpodautoscalers, 'v1web', 'default');
    expect(stored.spec).toMatchObject({ minReplicas: 2, maxReplicas: 9 });
    expect(stored.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 75 } } }]);
    type V1 = KObject & { spec?: { targetCPUUtilizationPercentage?: number; minReplicas?: number; maxReplicas?: number } };
    // The controller writes status meanwhile: wait for the event of the last patch.
    const last = await waitFor(() => w.events.map((e) => e.object as V1).find((o) => o.spec?.minReplicas === 2), 'the event of the last patch');
    expect(last.spec).toMatchObject({ targetCPUUtilizationPercentage: 75, minReplicas: 2, maxReplicas: 9 });
    expect(w.events.filter((e) => e.type === 'MODIFIED').length).toBeGreaterThanOrEqual(3);
    for (const e of w.events) expect(e.object.apiVersion).toBe('autoscaling/v1');

    // A resourceVersion in the patch is a precondition; a patch that does not convert is refused.
    const stale = await c.kubectl(['patch', v1, 'v1web', '--type=merge', '-p', '{"metadata":{"resourceVersion":"1"},"spec":{"maxReplicas":3}}']);
    expect(stale.stderr).toContain('Operation cannot be fulfilled on horizontalpodautoscalers.autoscaling "v1web"');
    const bad = await c.kubectl(['patch', v1, 'v1web', '--type=merge', '-p', '{"spec":{"maxReplicas":0}}']);
    expect(bad.stderr).toContain('spec.maxReplicas: Invalid value: 0: must be greater than 0');
    w.close();
  });

  it('applies autoscaling/v1 server-side: created and updated in its own form, managed fields in v1, conflicts with another manager', async () => {
    await c.core.client.create(R.deployments, deploymentManifest('ssa', 1) as Deployment & KObject);
    const v1Yaml = (max: number, cpu: number) => `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: ssa, namespace: default}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ssa}
  minReplicas: 1
  maxReplicas: ${max}
  targetCPUUtilizationPercentage: ${cpu}
`;
    expect(await c.kubectlOk(['apply', '--server-side', '-f', '-'], { input: v1Yaml(3, 40) })).toContain('horizontalpodautoscaler.autoscaling/ssa serverside-applied');
    const created: HorizontalPodAutoscaler = await c.core.client.get(R.horizontalpodautoscalers, 'ssa', 'default');
    expect(created.spec?.maxReplicas).toBe(3);
    expect(created.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 40 } } }]);

    expect(await c.kubectlOk(['apply', '--server-side', '-f', '-'], { input: v1Yaml(6, 70) })).toContain('serverside-applied');
    type Managed = { manager: string; operation: string; apiVersion: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } };
    const v1 = JSON.parse(await c.kubectlOk(['get', 'horizontalpodautoscalers.v1.autoscaling', 'ssa', '-o', 'json', '--show-managed-fields'])) as KObject & {
      spec: { maxReplicas: number; targetCPUUtilizationPercentage: number };
    };
    expect(v1.spec).toMatchObject({ maxReplicas: 6, targetCPUUtilizationPercentage: 70 });
    const entry = (v1.metadata?.managedFields as Managed[] | undefined)?.find((m) => m.manager === 'kubectl' && m.operation === 'Apply');
    expect(entry?.apiVersion).toBe('autoscaling/v1');
    expect(Object.keys(entry?.fieldsV1['f:spec'] ?? {}).sort()).toEqual(['.', 'f:maxReplicas', 'f:minReplicas', 'f:scaleTargetRef', 'f:targetCPUUtilizationPercentage']);

    // Another manager takes maxReplicas (through v2): applying another value conflicts until forced.
    await c.kubectlOk(['patch', 'hpa', 'ssa', '--type=merge', '--field-manager=tuner', '-p', '{"spec":{"maxReplicas":8}}']);
    const conflict = await c.kubectl(['apply', '--server-side', '-f', '-'], { input: v1Yaml(5, 70) });
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "tuner"');
    expect(conflict.stderr).toContain('.spec.maxReplicas');
    await c.kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: v1Yaml(5, 70) });
    const forced: HorizontalPodAutoscaler = await c.core.client.get(R.horizontalpodautoscalers, 'ssa', 'default');
    expect(forced.spec?.maxReplicas).toBe(5);
    expect(forced.spec?.metrics?.[0]?.resource?.target?.averageUtilization).toBe(70);
  });
});
