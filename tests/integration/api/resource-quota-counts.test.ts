// ResourceQuota object counts with real kubectl: `count/<resource>` for core resources and
// `count/<resource>.<group>` for any served resource, a CRD's included — usage in status.used, creates over
// the quota refused with Kubernetes' message, room again after a delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd, PRESERVE_UNKNOWN_FIELDS, storedVersion } from '../../helpers/crd';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const NS = 'counted';
const widget = (name: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\n  namespace: ${NS}\n`;
const usedOf = async (): Promise<Record<string, string>> =>
  JSON.parse(await c.kubectlOk(['get', 'quota', 'q', '-n', NS, '-o', 'jsonpath={.status.used}'])) as Record<string, string>;

describe('ResourceQuota object counts', () => {
  it('counts deployments, configmaps, replication controllers and a CRD\'s objects, and refuses creates over quota', async () => {
    await defineCrd(c, crdManifest({ group: 'example.com', plural: 'widgets', kind: 'Widget' }, storedVersion(PRESERVE_UNKNOWN_FIELDS)), 'widgets.example.com');
    await c.kubectlOk(['create', 'namespace', NS]);
    await c.kubectlOk(['create', 'deployment', 'd1', '-n', NS, '--image=nginx']);
    await c.kubectlOk(['apply', '-f', '-'], { input: widget('w1') });
    await c.kubectlOk(['create', 'quota', 'q', '-n', NS,
      '--hard=count/deployments.apps=2,count/widgets.example.com=1,count/configmaps=3,count/replicationcontrollers=0,count/jobs.batch=5']);
    // The namespace's kube-root-ca.crt is a ConfigMap too.
    const configmaps = (await c.kubectlOk(['get', 'configmaps', '-n', NS, '-o', 'name'])).trim().split('\n').filter(Boolean).length;
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.count/deployments\\.apps}=1', 'quota/q', '-n', NS, '--timeout=30s']);
    expect(await usedOf()).toEqual({
      'count/configmaps': String(configmaps), 'count/deployments.apps': '1', 'count/jobs.batch': '0',
      'count/replicationcontrollers': '0', 'count/widgets.example.com': '1',
    });

    await c.kubectlOk(['create', 'deployment', 'd2', '-n', NS, '--image=nginx']);
    const d3 = await c.kubectl(['create', 'deployment', 'd3', '-n', NS, '--image=nginx']);
    expect(d3.code).not.toBe(0);
    expect(d3.stderr).toBe('error: failed to create deployment: deployments.apps "d3" is forbidden: exceeded quota: q, '
      + 'requested: count/deployments.apps=1, used: count/deployments.apps=2, limited: count/deployments.apps=2\n');

    const w2 = await c.kubectl(['apply', '-f', '-'], { input: widget('w2') });
    expect(w2.stderr).toContain('Error from server (Forbidden): error when creating "STDIN": widgets.example.com "w2" is forbidden: exceeded quota: q, '
      + 'requested: count/widgets.example.com=1, used: count/widgets.example.com=1, limited: count/widgets.example.com=1\n');

    const rc = await c.kubectl(['apply', '-f', '-'], {
      input: `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: r\n  namespace: ${NS}\nspec:\n  template:\n    metadata:\n      labels: {app: r}\n`
        + '    spec:\n      containers: [{name: c, image: nginx}]\n',
    });
    expect(rc.stderr).toContain('replicationcontrollers "r" is forbidden: exceeded quota: q, '
      + 'requested: count/replicationcontrollers=1, used: count/replicationcontrollers=0, limited: count/replicationcontrollers=0\n');

    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.count/deployments\\.apps}=2', 'quota/q', '-n', NS, '--timeout=30s']);
    // A delete makes room, and status.used follows it.
    await c.kubectlOk(['delete', 'widget', 'w1', '-n', NS]);
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.count/widgets\\.example\\.com}=0', 'quota/q', '-n', NS, '--timeout=30s']);
    await c.kubectlOk(['apply', '-f', '-'], { input: widget('w2') });
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.count/widgets\\.example\\.com}=1', 'quota/q', '-n', NS, '--timeout=30s']);
    const described = await c.kubectlOk(['describe', 'quota', 'q', '-n', NS]);
    expect(described).toMatch(/count\/deployments\.apps\s+2\s+2/);
    expect(described).toMatch(/count\/widgets\.example\.com\s+1\s+1/);
  });
});
