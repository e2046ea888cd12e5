// LimitRanges with real kubectl: kubectl get limits/quota columns, LimitRange defaulting, and the
// LimitRanger admission plugin (container defaults with the kubernetes.io/limit-ranger annotation,
// min/max/ratio refusals with Kubernetes' 403 messages, Pod- and PersistentVolumeClaim-type items).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const limits = (ns: string, items: string) =>
  `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\n  namespace: ${ns}\nspec:\n  limits:\n${items}`;
const pod = (ns: string, name: string, resources = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  containers:\n  - name: c\n    image: busybox\n${resources}`;

describe('LimitRange and LimitRanger admission', () => {
  it('defaults a Container item, fills container defaults and records them in the annotation', async () => {
    await c.kubectlOk(['create', 'namespace', 'lr-defaults']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: limits('lr-defaults', '  - type: Container\n    max:\n      cpu: "2"\n    default:\n      memory: 256Mi\n    defaultRequest:\n      memory: 128Mi\n'),
    });
    expect(await c.kubectlOk(['get', 'limits', 'lr', '-n', 'lr-defaults', '-o', 'jsonpath={.spec.limits[0].default.cpu} {.spec.limits[0].defaultRequest.cpu}']))
      .toBe('2 2');
    const table = await c.kubectlOk(['get', 'limits', '-n', 'lr-defaults']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+CREATED AT$/);
    expect(table).toMatch(/\nlr\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);

    await c.kubectlOk(['apply', '-f', '-'], { input: pod('lr-defaults', 'bare') });
    const got = await c.kubectlOk(['get', 'pod', 'bare', '-n', 'lr-defaults', '-o',
      'jsonpath={.spec.containers[0].resources.requests.cpu} {.spec.containers[0].resources.requests.memory} {.spec.containers[0].resources.limits.memory}']);
    expect(got).toBe('2 128Mi 256Mi');
    expect(await c.kubectlOk(['get', 'pod', 'bare', '-n', 'lr-defaults', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}']))
      .toBe('LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
    // A container giving its own values keeps them: nothing is set, no annotation.
    await c.kubectlOk(['apply', '-f', '-'], {
      input: pod('lr-defaults', 'own', '    resources:\n      requests:\n        cpu: 1\n        memory: 64Mi\n      limits:\n        cpu: 1\n        memory: 64Mi\n'),
    });
    expect(await c.kubectlOk(['get', 'pod', 'own', '-n', 'lr-defaults', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}'])).toBe('');
  });

  it('refuses containers, pods and claims outside min, max and ratio with 403s', async () => {
    await c.kubectlOk(['create', 'namespace', 'lr-bounds']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: limits('lr-bounds', [
        '  - type: Container', '    min:', '      cpu: 100m', '    max:', '      cpu: "1"', '    maxLimitRequestRatio:', '      cpu: "2"',
        '  - type: Pod', '    max:', '      memory: 1Gi',
        '  - type: PersistentVolumeClaim', '    max:', '      storage: 2Gi', '',
      ].join('\n')),
    });
    const small = await c.kubectl(['apply', '-f', '-'], {
      input: pod('lr-bounds', 'small', '    resources:\n      requests:\n        cpu: 50m\n      limits:\n        cpu: 80m\n        memory: 64Mi\n'),
    });
    expect(small.code).not.toBe(0);
    // minConstraint reports the first breach per resource: the request, not also the limit.
    expect(small.stderr).toContain('pods "small" is forbidden: minimum cpu usage per Container is 100m, but request is 50m\n');
    const ratio = await c.kubectl(['apply', '-f', '-'], {
      input: pod('lr-bounds', 'spiky', '    resources:\n      requests:\n        cpu: 200m\n      limits:\n        cpu: 500m\n        memory: 64Mi\n'),
    });
    expect(ratio.stderr).toContain('pods "spiky" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 2.500000');
    const big = await c.kubectl(['apply', '-f', '-'], {
      input: pod('lr-bounds', 'big', '    resources:\n      requests:\n        cpu: 500m\n      limits:\n        cpu: 500m\n        memory: 2Gi\n'),
    });
    expect(big.stderr).toContain('pods "big" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 2Gi');
    // Defaults come from max (limit 1, request 1): within bounds, so the pod is admitted.
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('lr-bounds', 'fine', '    resources:\n      limits:\n        memory: 64Mi\n') });
    expect(await c.kubectlOk(['get', 'pod', 'fine', '-n', 'lr-bounds', '-o', 'jsonpath={.spec.containers[0].resources.limits.cpu}'])).toBe('1');

    const claim = (name: string, size: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ${name}\n  namespace: lr-bounds\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: ${size}\n`;
    const huge = await c.kubectl(['apply', '-f', '-'], { input: claim('huge', '5Gi') });
    expect(huge.stderr).toContain('persistentvolumeclaims "huge" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    await c.kubectlOk(['apply', '-f', '-'], { input: claim('modest', '1Gi') });
  });

  it('refuses creates over a ResourceQuota with 403, also under concurrent creates, and lists quotas with REQUEST and LIMIT', async () => {
    await c.kubectlOk(['create', 'namespace', 'rq']);
    await c.kubectlOk(['create', 'quota', 'q', '-n', 'rq', '--hard=pods=2,configmaps=3,requests.cpu=1,limits.memory=1Gi']);
    const withCpu = (name: string) => pod('rq', name, '    resources:\n      requests:\n        cpu: 100m\n      limits:\n        memory: 64Mi\n');
    const results = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((n) => c.kubectl(['apply', '-f', '-'], { input: withCpu(n) })));
    expect(results.filter((r) => r.code === 0)).toHaveLength(2);
    const refused = results.filter((r) => r.code !== 0);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.stderr).toMatch(/pods "p\d" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2\n/);
    expect((await c.kubectlOk(['get', 'pods', '-n', 'rq', '-o', 'name'])).trim().split('\n')).toHaveLength(2);

    const bare = await c.kubectl(['apply', '-f', '-'], { input: pod('rq', 'bare') });
    expect(bare.stderr).toContain('pods "bare" is forbidden: failed quota: q: must specify limits.memory for: c; requests.cpu for: c\n');
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.pods}=2', 'quota/q', '-n', 'rq', '--timeout=30s']);
    const table = await c.kubectlOk(['get', 'quota', '-n', 'rq']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+AGE\s+REQUEST\s+LIMIT$/);
    expect(table).toMatch(/\nq\s+\S+\s+configmaps: \d\/3, pods: 2\/2, requests.cpu: 200m\/1\s+limits.memory: 128Mi\/1Gi\n/);
    expect(await c.kubectlOk(['describe', 'quota', 'q', '-n', 'rq'])).toMatch(/\npods\s+2\s+2\n/);
    const hardOf = await c.kubectlOk(['get', 'quota', 'q', '-n', 'rq', '-o', 'jsonpath={.spec.hard.pods}']);
    expect(hardOf).toBe('2');
  });

  it('counts the node ports and load balancers of Services', async () => {
    await c.kubectlOk(['create', 'namespace', 'sq']);
    await c.kubectlOk(['create', 'quota', 'sq', '-n', 'sq', '--hard=services.nodeports=1,services.loadbalancers=0']);
    const two = await c.kubectl(['create', 'service', 'nodeport', 'two', '-n', 'sq', '--tcp=80:80', '--tcp=443:443']);
    expect(two.stderr).toContain(
      'services "two" is forbidden: exceeded quota: sq, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
    );
    const lb = await c.kubectl(['create', 'service', 'loadbalancer', 'lb', '-n', 'sq', '--tcp=80:80']);
    expect(lb.stderr).toContain('services "lb" is forbidden: exceeded quota: sq, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0');
    await c.kubectlOk(['create', 'service', 'nodeport', 'one', '-n', 'sq', '--tcp=80:80']);
    await c.kubectlOk(['create', 'service', 'clusterip', 'plain', '-n', 'sq', '--tcp=80:80']);
    await c.kubectlOk(['wait', '--for=jsonpath={.status.used.services\\.nodeports}=1', 'quota/sq', '-n', 'sq', '--timeout=30s']);
  });

  it('validates maxLimitRequestRatio and enforces it per Container and per Pod with Kubernetes\' messages', async () => {
    await c.kubectlOk(['create', 'namespace', 'lr-ratio']);
    const bad = await c.kubectl(['apply', '-f', '-'], {
      input: limits('lr-ratio', [
        '  - type: Container', '    maxLimitRequestRatio:', '      cpu: 500m',
        '  - type: Pod', '    min:', '      memory: 100Mi', '    max:', '      memory: 1000Mi', '    maxLimitRequestRatio:', '      memory: "20"', '',
      ].join('\n')),
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('LimitRange "lr" is invalid: \n'
      + '* spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "500m": ratio 500m is less than 1\n'
      + '* spec.limits[1].maxLimitRequestRatio[memory]: Invalid value: "20": ratio 20 is greater than max/min = 10.000000\n');

    await c.kubectlOk(['apply', '-f', '-'], {
      input: limits('lr-ratio', ['  - type: Container', '    maxLimitRequestRatio:', '      memory: "2"', '  - type: Pod', '    maxLimitRequestRatio:', '      cpu: "3"', ''].join('\n')),
    });
    const noLimit = await c.kubectl(['apply', '-f', '-'], { input: pod('lr-ratio', 'nolimit', '    resources:\n      requests:\n        memory: 64Mi\n') });
    expect(noLimit.stderr).toContain('pods "nolimit" is forbidden: '
      + '[memory max limit to request ratio per Container is 2, but no limit is specified or limit is 0, '
      + 'cpu max limit to request ratio per Pod is 3, but no request is specified or request is 0]');
    const within = '    resources:\n      requests:\n        memory: 64Mi\n        cpu: 100m\n      limits:\n        memory: 128Mi\n        cpu: 300m\n';
    await c.kubectlOk(['apply', '-f', '-'], { input: pod('lr-ratio', 'within', within) });
    const spiky = await c.kubectl(['apply', '-f', '-'], { input: pod('lr-ratio', 'spiky', within.replace('cpu: 300m', 'cpu: 350m')) });
    expect(spiky.stderr).toContain('pods "spiky" is forbidden: cpu max limit to request ratio per Pod is 3, but provided ratio is 3.500000\n');
  });
});
