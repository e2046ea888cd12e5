// HorizontalPodAutoscalers with real kubectl: apply an autoscaling/v2 HPA, `kubectl get hpa` with
// its REFERENCE and TARGETS columns, the controller's status, and Kubernetes' validation message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, KObject } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

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
});
