// ResourceQuota scopes with real kubectl: a scoped quota counts only the pods in its scopes, in admission
// (a pod outside them is admitted past a full quota) and in status.used; and ResourceQuota validation's
// scope messages (kubectl create quota --scopes, scopeSelector operators), and LimitRange validation (bounds in order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const pod = (ns: string, name: string, extra = '', resources = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}  containers:\n  - name: c\n    image: busybox\n${resources}`;
const CPU = '    resources:\n      requests:\n        cpu: 100m\n';

describe('ResourceQuota scopes', () => {
  it('counts only the pods in a quota\'s scopes, at admission and in status.used', async () => {
    await c.kubectlOk(['create', 'namespace', 'scoped']);
    await c.kubectlOk(['create', 'quota', 'best', '-n', 'scoped', '--hard=pods=1', '--scopes=BestEffort']);
    await c.kubectlOk(['create', 'quota', 'term', '-n', 'scoped', '--hard=pods=1', '--scopes=Terminating,NotBestEffort']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: high\n  namespace: scoped\nspec:\n  hard:\n    pods: "0"\n'
        + '  scopeSelector:\n    matchExpressions:\n    - scopeName: PriorityClass\n      operator: In\n      values: [high]\n',
    });
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('scoped', 'be1') });
    const be2 = await c.kubectl(['apply', '-f', '-'], { input: pod('scoped', 'be2') });
    expect(be2.stderr).toContain('pods "be2" is forbidden: exceeded quota: best, requested: pods=1, used: pods=1, limited: pods=1\n');
    // Burstable pods are outside BestEffort; without activeDeadlineSeconds also outside Terminating.
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('scoped', 'bu1', '', CPU) });
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('scoped', 'bu2', '', CPU) });
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('scoped', 't1', '  activeDeadlineSeconds: 60\n', CPU) });
    const t2 = await c.kubectl(['apply', '-f', '-'], { input: pod('scoped', 't2', '  activeDeadlineSeconds: 60\n', CPU) });
    expect(t2.stderr).toContain('pods "t2" is forbidden: exceeded quota: term, requested: pods=1, used: pods=1, limited: pods=1\n');
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.pods}=1', 'quota/best', 'quota/term', '-n', 'scoped', '--timeout=30s']);
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.pods}=0', 'quota/high', '-n', 'scoped', '--timeout=30s']);

    await c.kubectlOk(['apply', '-f', '-'], { input: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\n' });
    const high = await c.kubectl(['apply', '-f', '-'], { input: pod('scoped', 'h1', '  priorityClassName: high\n', CPU) });
    expect(high.stderr).toContain('pods "h1" is forbidden: exceeded quota: high, requested: pods=1, used: pods=0, limited: pods=0\n');
    await c.kubectlOk(['delete', 'priorityclass', 'high']);
  });

  it('refuses scopes a quota\'s resources do not allow, conflicting scopes and bad selector operators with 422s', async () => {
    await c.kubectlOk(['create', 'namespace', 'scoped-bad']);
    const unsupported = await c.kubectl(['create', 'quota', 'q', '-n', 'scoped-bad', '--hard=configmaps=1', '--scopes=BestEffort']);
    expect(unsupported.stderr).toContain('ResourceQuota "q" is invalid: '
      + 'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource');
    const conflict = await c.kubectl(['create', 'quota', 'q', '-n', 'scoped-bad', '--hard=pods=1', '--scopes=Terminating,NotTerminating']);
    expect(conflict.stderr).toContain('spec.scopes: Invalid value: []core.ResourceQuotaScope{"Terminating", "NotTerminating"}: conflicting scopes');
    const selector = await c.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: s\n  namespace: scoped-bad\nspec:\n  hard:\n    pods: "1"\n'
        + '  scopeSelector:\n    matchExpressions:\n    - scopeName: BestEffort\n      operator: In\n      values: [x]\n'
        + '    - scopeName: PriorityClass\n      operator: NotIn\n',
    });
    expect(selector.stderr).toContain('spec.scopeSelector.matchExpressions.operator: Invalid value: "In": must be \'Exist\' only operator when scope is any of '
      + 'ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort and ResourceQuotaScopeNotBestEffort');
    expect(selector.stderr).toContain('spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector');
    const badName = await c.kubectl(['create', 'quota', 'q', '-n', 'scoped-bad', '--hard=widgets=1']);
    expect(badName.stderr).toContain('spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified');
    expect(badName.stderr).toContain('spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota');
    const fraction = await c.kubectl(['create', 'quota', 'q', '-n', 'scoped-bad', '--hard=pods=1500m']);
    expect(fraction.stderr).toContain('spec.hard[pods]: Invalid value: "1500m": must be an integer');
    expect(await c.kubectl(['get', 'quota', '-n', 'scoped-bad', '-o', 'name'])).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses LimitRange items whose bounds are out of order, and defaults on a Pod item', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\n  namespace: scoped-bad\nspec:\n  limits:\n'
        + '  - type: Container\n    min: {cpu: "2"}\n    max: {cpu: "1", memory: 1Gi}\n    defaultRequest: {memory: 2Gi}\n'
        + '  - type: Pod\n    default: {cpu: "1"}\n',
    });
    expect(r.stderr).toContain('LimitRange "lr" is invalid: ');
    expect(r.stderr).toContain('spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1');
    expect(r.stderr).toContain('spec.limits[0].defaultRequest[memory]: Invalid value: "2Gi": default request value 2Gi is greater than max value 1Gi');
    expect(r.stderr).toContain('spec.limits[1].default: Forbidden: may not be specified when `type` is \'Pod\'');
    expect((await c.kubectl(['get', 'limits', 'lr', '-n', 'scoped-bad'])).code).not.toBe(0);
  });
});
