// PodDisruptionBudgets with real kubectl against hollow nodes: `kubectl get pdb` columns, Kubernetes'
// validation message, and `kubectl drain` waiting on a budget (the eviction's 429, retried every 5 s)
// until the budget allows the eviction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, KObject, Pod } from '../../../main/api/types';
import { R } from '../../../main/client/refs';
import { startHollowCluster, waitFor, type HollowCluster } from '../../helpers/cluster';
import { deploymentManifest } from '../../helpers/manifests';

let c: HollowCluster;

beforeAll(async () => {
  c = await startHollowCluster(2);
});
afterAll(async () => {
  await c?.stop();
});

const NODE = 'hollow-node-0';

function pdbYaml(spec: string): string {
  return `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector:\n    matchLabels:\n      app: web\n${spec}`;
}

async function webPods(): Promise<Pod[]> {
  return (await c.core.client.list(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items as unknown as Pod[];
}

describe('PodDisruptionBudget and kubectl drain', () => {
  it('refuses a budget with both minAvailable and maxUnavailable, as Kubernetes words it', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { input: pdbYaml('  minAvailable: 1\n  maxUnavailable: 1\n') });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The PodDisruptionBudget "web" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:');
    expect(r.stderr).toContain(': minAvailable and maxUnavailable cannot be both set');
    await c.kubectlOk(['create', 'poddisruptionbudget', 'other', '--selector=app=other', '--max-unavailable=25%']);
    const described = await waitFor(async () => {
      const d = await c.kubectlOk(['describe', 'pdb', 'other']);
      return d.includes('No matching pods found') ? d : undefined;
    }, 'describe with the NoPods event', 10_000);
    expect(described).toMatch(/Max unavailable:\s+25%/);
    expect(described).toMatch(/Selector:\s+app=other/);
    const pct = await c.kubectl(['apply', '-f', '-'], { input: pdbYaml('  minAvailable: 120%\n') });
    expect(pct.stderr).toContain('spec.minAvailable: Invalid value: 120%: must not be greater than 100%');
  });

  it('drain waits on the budget and says why, then drains once the budget allows it', async () => {
    const d = deploymentManifest('web', 2, 'nginx:1.27', {});
    (d.spec!.template.spec as { nodeSelector?: Record<string, string> }).nodeSelector = { 'kubernetes.io/hostname': NODE };
    await c.core.client.create(R.deployments, d as Deployment & KObject);
    await waitFor(async () => (await webPods()).filter((p) => p.status?.phase === 'Running').length === 2, 'web running', 20_000);
    await c.kubectlOk(['apply', '-f', '-'], { input: pdbYaml('  minAvailable: 2\n') });
    const table = await waitFor(async () => {
      const out = await c.kubectlOk(['get', 'pdb', 'web']);
      return /web\s+2\s+N\/A\s+0\s+\d+s/.test(out) ? out : undefined;
    }, 'kubectl get pdb', 10_000);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE$/);

    const blocked = await c.kubectl(['drain', NODE, '--ignore-daemonsets', '--timeout=7s'], { timeoutMs: 30_000 });
    expect(blocked.code).not.toBe(0);
    expect(blocked.stderr).toMatch(
      /error when evicting pods\/"web-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    expect((await webPods()).filter((p) => !p.metadata?.deletionTimestamp)).toHaveLength(2);

    // One disruption allowed: the drain evicts both pods in turn as the budget lets it (the
    // replacement pods cannot run: the node is cordoned and the pods are pinned to it), so make
    // the budget allow every disruption.
    await c.kubectlOk(['apply', '-f', '-'], { input: pdbYaml('  maxUnavailable: 2\n') });
    await waitFor(async () => /web\s+N\/A\s+2\s+2\s/.test(await c.kubectlOk(['get', 'pdb', 'web'])), 'budget allows two', 10_000);
    const drained = await c.kubectl(['drain', NODE, '--ignore-daemonsets', '--timeout=60s'], { timeoutMs: 90_000 });
    expect(drained.stderr + drained.stdout).toContain(`node/${NODE} drained`);
    expect(drained.code).toBe(0);
    const evicted = await waitFor(async () => {
      const l = await webPods();
      return l.every((p) => p.spec?.nodeName !== NODE) ? l : undefined;
    }, 'evicted pods gone', 20_000);
    expect(evicted.every((p) => p.status?.phase === 'Pending')).toBe(true);
  });
});
