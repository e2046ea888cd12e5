// Admission webhooks with real kubectl against a real HTTPS webhook on loopback (its own CA in caBundle): the two
// configuration kinds (defaults, Kubernetes' validation messages, NAME WEBHOOKS AGE), a validating webhook's
// denial, a mutating webhook's JSONPatch, failurePolicy Fail and Ignore against a webhook nobody answers, the
// namespace and object selectors, a timeout, dry-run and side effects, matchConditions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/free-port';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { startWebhookServer, type ReviewRequest, type WebhookServer } from '../../helpers/webhook-server';

let c: TestCluster;
let hook: WebhookServer;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
  hook = await startWebhookServer({
    '/deny': (r) => (r.object?.metadata?.name?.startsWith('bad-')
      ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'names starting with bad- are refused' } }
      : { allowed: true, warnings: ['checked by deny'] }),
    '/deny-all': () => ({ allowed: false }),
    '/label': (r) => ({
      allowed: true,
      patch: r.object?.metadata?.labels ? [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }]
        : [{ op: 'add', path: '/metadata/labels', value: { mutated: 'yes' } }],
    }),
    '/slow': () => 'hang',
    // Copies label `second` (set by a later webhook) into `copied`: right only when reinvoked.
    '/copy': (r) => (r.object?.metadata?.labels?.second ? { allowed: true, patch: [{ op: 'add', path: '/metadata/labels/copied', value: r.object.metadata.labels.second }] }
      : { allowed: true }),
    '/second': () => ({ allowed: true, patch: [{ op: 'add', path: '/metadata/labels/second', value: 'set' }] }),
  });
});
afterAll(async () => {
  await hook?.stop();
  await c?.stop();
});

interface HookSpec {
  name: string;
  path?: string;
  url?: string;
  extra?: string;
  rules?: string;
}

function configuration(kind: 'Validating' | 'Mutating', name: string, hooks: HookSpec[]): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ${kind}WebhookConfiguration
metadata: {name: ${name}}
webhooks:
${hooks.map((h) => `- name: ${h.name}
  clientConfig: {url: "${h.url ?? hook.url(h.path ?? '/deny')}", caBundle: ${hook.caBundle}}
  rules: ${h.rules ?? '[{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]'}
  sideEffects: None
  admissionReviewVersions: [v1]
${h.extra ?? ''}`).join('\n')}
`;
}

async function withConfiguration(yaml: string, kindPlural: string, name: string, fn: () => Promise<void>): Promise<void> {
  await c.kubectlOk(['apply', '-f', '-'], { input: yaml });
  try {
    await fn();
  } finally {
    await c.kubectlOk(['delete', kindPlural, name]);
  }
}

const cm = (name: string, ns = 'default', labels = '') => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: ${ns}${labels ? `, labels: {${labels}}` : ''}}
data: {a: b}
`;

describe('webhook configurations', () => {
  it('are served with their defaults, Kubernetes\' columns and validation messages', async () => {
    const out = await c.kubectlOk(['api-resources', '--no-headers', '--api-group=admissionregistration.k8s.io']);
    expect(out).toMatch(/^mutatingwebhookconfigurations\s+admissionregistration\.k8s\.io\/v1\s+false\s+MutatingWebhookConfiguration$/m);
    expect(out).toMatch(/^validatingwebhookconfigurations\s+admissionregistration\.k8s\.io\/v1\s+false\s+ValidatingWebhookConfiguration$/m);
    await withConfiguration(configuration('Mutating', 'defaults', [{ name: 'a.flotilla.test', path: '/label', rules: '[{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [secrets]}]' },
      { name: 'b.flotilla.test', path: '/label', rules: '[{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [secrets]}]' }]),
    'mutatingwebhookconfigurations', 'defaults', async () => {
      const table = await c.kubectlOk(['get', 'mutatingwebhookconfigurations']);
      expect(table).toMatch(/^NAME\s+WEBHOOKS\s+AGE\ndefaults\s+2\s+\d+s\n$/);
      const got = JSON.parse(await c.kubectlOk(['get', 'mutatingwebhookconfiguration', 'defaults', '-o', 'json'])) as { webhooks: Array<Record<string, unknown>> };
      expect(got.webhooks[0]).toMatchObject({
        failurePolicy: 'Fail', matchPolicy: 'Equivalent', timeoutSeconds: 10, namespaceSelector: {}, objectSelector: {}, reinvocationPolicy: 'Never',
        rules: [{ scope: '*' }],
      });
    });
    const bad = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: bad}
webhooks:
- name: short.name
  clientConfig: {url: "http://127.0.0.1:1/x"}
  admissionReviewVersions: [v1beta2]
- name: dup.flotilla.test
  clientConfig: {service: {namespace: default, name: svc, port: 0}}
  sideEffects: Some
  admissionReviewVersions: [v1]
  timeoutSeconds: 31
- name: dup.flotilla.test
  clientConfig: {}
  sideEffects: None
  admissionReviewVersions: [v1]
  rules: [{operations: [GET], apiGroups: ["*", apps], apiVersions: [v1], resources: ["*/*", pods], scope: Everywhere}]
` });
    expect(bad.code).not.toBe(0);
    const msg = bad.stderr;
    expect(msg).toContain('The ValidatingWebhookConfiguration "bad" is invalid:');
    expect(msg).toContain('webhooks[0].name: Invalid value: "short.name": should be a domain with at least three segments separated by dots');
    expect(msg).toContain('webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun');
    expect(msg).toContain('webhooks[0].clientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]');
    expect(msg).toContain('webhooks[0].admissionReviewVersions: Invalid value: []string{"v1beta2"}: must include at least one of v1, v1beta1');
    expect(msg).toContain('webhooks[1].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"');
    expect(msg).toContain('webhooks[1].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds');
    expect(msg).toContain('webhooks[1].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive');
    expect(msg).toContain('webhooks[2].name: Duplicate value: "dup.flotilla.test"');
    expect(msg).toContain('webhooks[2].clientConfig: Required value: exactly one of url or service is required');
    expect(msg).toContain('webhooks[2].rules[0].operations[0]: Unsupported value: "GET": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"');
    expect(msg).toContain('webhooks[2].rules[0].apiGroups: Invalid value: []string{"*", "apps"}: if \'*\' is present, must not specify other API groups');
    expect(msg).toContain('webhooks[2].rules[0].resources: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources');
    expect(msg).toContain('webhooks[2].rules[0].scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"');
  });
});

describe('calling webhooks', () => {
  it('a validating webhook denies with its message and status; the review carries the request', async () => {
    await withConfiguration(configuration('Validating', 'deny', [{ name: 'deny.flotilla.test' }]), 'validatingwebhookconfigurations', 'deny', async () => {
      const refused = await c.kubectl(['create', '-f', '-'], { input: cm('bad-one') });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr.trim()).toBe('Error from server (Forbidden): error when creating "STDIN": admission webhook "deny.flotilla.test" denied the request: names starting with bad- are refused');
      const ok = await c.kubectl(['create', '-f', '-'], { input: cm('good-one') });
      expect(ok.code).toBe(0);
      expect(ok.stderr).toContain('Warning: checked by deny');
      const review = hook.reviews.findLast((r) => r.name === 'good-one')!;
      expect(review).toMatchObject({
        operation: 'CREATE', namespace: 'default', kind: { group: '', version: 'v1', kind: 'ConfigMap' },
        resource: { group: '', version: 'v1', resource: 'configmaps' }, dryRun: false, userInfo: { username: 'admin' }, options: { kind: 'CreateOptions' },
      });
      expect(review.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(review.oldObject ?? null).toBeNull();
    });
    await c.kubectlOk(['delete', 'configmap', 'good-one']);
  });

  it('a mutating webhook adds a label through a JSONPatch, before validation and the validating webhooks', async () => {
    const both = configuration('Mutating', 'label', [{ name: 'label.flotilla.test', path: '/label' }]);
    await withConfiguration(both, 'mutatingwebhookconfigurations', 'label', async () => {
      await c.kubectlOk(['create', '-f', '-'], { input: cm('mutated') });
      expect(await c.kubectlOk(['get', 'configmap', 'mutated', '-o', 'jsonpath={.metadata.labels.mutated}'])).toBe('yes');
      await c.kubectlOk(['create', '-f', '-'], { input: cm('mutated-too', 'default', 'keep: me') });
      expect(await c.kubectlOk(['get', 'configmap', 'mutated-too', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"keep":"me","mutated":"yes"}');
    });
    await c.kubectlOk(['delete', 'configmap', 'mutated', 'mutated-too']);
  });

  it('reinvocationPolicy IfNeeded: a webhook that ran before a later one changed the object runs once more', async () => {
    const hooks = configuration('Mutating', 'reinvoke', [
      { name: 'copy.flotilla.test', path: '/copy', extra: '  reinvocationPolicy: IfNeeded' },
      { name: 'second.flotilla.test', path: '/second' },
    ]);
    await withConfiguration(hooks, 'mutatingwebhookconfigurations', 'reinvoke', async () => {
      await c.kubectlOk(['create', '-f', '-'], { input: cm('reinvoked', 'default', 'start: "1"') });
      expect(await c.kubectlOk(['get', 'configmap', 'reinvoked', '-o', 'jsonpath={.metadata.labels}'])).toBe('{"copied":"set","second":"set","start":"1"}');
      expect(hook.reviews.filter((r) => r.name === 'reinvoked').length).toBe(3);
    });
    await c.kubectlOk(['delete', 'configmap', 'reinvoked']);
  });

  it('failurePolicy Fail refuses with a 500 naming the call; Ignore lets the request through', async () => {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}/nobody`;
    await withConfiguration(configuration('Validating', 'unreachable', [{ name: 'fail.flotilla.test', url }]), 'validatingwebhookconfigurations', 'unreachable', async () => {
      const r = await c.kubectl(['create', '-f', '-'], { input: cm('unreached') });
      expect(r.stderr.trim()).toBe('Error from server (InternalError): error when creating "STDIN": Internal error occurred: failed calling webhook "fail.flotilla.test": '
        + `failed to call webhook: Post "${url}?timeout=10s": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    });
    const ignore = configuration('Validating', 'ignored', [{ name: 'ignore.flotilla.test', url, extra: '  failurePolicy: Ignore' }]);
    await withConfiguration(ignore, 'validatingwebhookconfigurations', 'ignored', async () => {
      await c.kubectlOk(['create', '-f', '-'], { input: cm('through') });
    });
    await c.kubectlOk(['delete', 'configmap', 'through']);
  });

  it('namespaceSelector and objectSelector: a request they do not match never reaches the webhook', async () => {
    await c.kubectlOk(['create', 'namespace', 'guarded']);
    await c.kubectlOk(['create', 'namespace', 'open']);
    await c.kubectlOk(['label', 'namespace', 'guarded', 'webhooks=on']);
    const selectors = configuration('Validating', 'selectors', [
      { name: 'ns.flotilla.test', path: '/deny-all', extra: '  namespaceSelector: {matchLabels: {webhooks: "on"}}' },
      { name: 'obj.flotilla.test', path: '/deny-all', extra: '  objectSelector: {matchExpressions: [{key: checked, operator: In, values: ["yes"]}]}' },
    ]);
    await withConfiguration(selectors, 'validatingwebhookconfigurations', 'selectors', async () => {
      const before = hook.reviews.length;
      await c.kubectlOk(['create', '-f', '-'], { input: cm('free', 'open') });
      expect(hook.reviews.length).toBe(before);
      const inGuarded = await c.kubectl(['create', '-f', '-'], { input: cm('held', 'guarded') });
      expect(inGuarded.stderr).toContain('admission webhook "ns.flotilla.test" denied the request without explanation');
      const labelled = await c.kubectl(['create', '-f', '-'], { input: cm('checked', 'open', 'checked: "yes"') });
      expect(labelled.stderr).toContain('admission webhook "obj.flotilla.test" denied the request without explanation');
    });
    await c.kubectlOk(['delete', 'namespace', 'guarded', 'open', '--wait=false']);
  });

  it('updates and deletes reach the webhooks with the old object, the user and their options', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: cm('doomed') });
    const rules = '[{operations: [UPDATE, DELETE], apiGroups: [""], apiVersions: [v1], resources: [configmaps]}]';
    await withConfiguration(configuration('Validating', 'changes', [{ name: 'changes.flotilla.test', rules }]), 'validatingwebhookconfigurations', 'changes', async () => {
      await c.kubectlOk(['label', 'configmap', 'doomed', 'step=one']);
      const update = hook.reviews.findLast((r) => r.name === 'doomed' && r.operation === 'UPDATE')!;
      expect(update).toMatchObject({ userInfo: { username: 'admin' }, options: { kind: 'UpdateOptions' }, object: { metadata: { labels: { step: 'one' } } } });
      expect(update.oldObject).toMatchObject({ metadata: { name: 'doomed' } });
      await c.kubectlOk(['delete', 'configmap', 'doomed']);
      const del = hook.reviews.findLast((r) => r.name === 'doomed' && r.operation === 'DELETE')!;
      expect(del).toMatchObject({ userInfo: { username: 'admin' }, options: { kind: 'DeleteOptions' } });
      expect(del.object ?? null).toBeNull();
      expect(del.oldObject).toMatchObject({ metadata: { name: 'doomed', labels: { step: 'one' } } });
    });
  });

  it('a webhook that does not answer within timeoutSeconds fails the request under Fail', async () => {
    const slow = configuration('Validating', 'slow', [{ name: 'slow.flotilla.test', path: '/slow', extra: '  timeoutSeconds: 1' }]);
    await withConfiguration(slow, 'validatingwebhookconfigurations', 'slow', async () => {
      const started = Date.now();
      const r = await c.kubectl(['create', '-f', '-'], { input: cm('late') });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.stderr).toContain(`Internal error occurred: failed calling webhook "slow.flotilla.test": failed to call webhook: Post "${hook.url('/slow')}?timeout=1s": context deadline exceeded`);
    });
  });

  it('dry run: a webhook with side effects refuses it; matchConditions skip the webhook when false', async () => {
    const some = configuration('Validating', 'effects', [{ name: 'effects.flotilla.test', path: '/deny-all' }]).replace('sideEffects: None', 'sideEffects: NoneOnDryRun');
    await withConfiguration(some, 'validatingwebhookconfigurations', 'effects', async () => {
      const r = await c.kubectl(['create', '--dry-run=server', '-f', '-'], { input: cm('dry') });
      expect(r.stderr).toContain('admission webhook "effects.flotilla.test" denied the request without explanation');
      const dry = hook.reviews.findLast((x: ReviewRequest) => x.name === 'dry')!;
      expect(dry.dryRun).toBe(true);
    });
    const conditional = configuration('Validating', 'conditional', [{
      name: 'cond.flotilla.test', path: '/deny-all',
      extra: '  matchConditions: [{name: only-tagged, expression: "has(object.metadata.labels) && \'tagged\' in object.metadata.labels"}]',
    }]);
    await withConfiguration(conditional, 'validatingwebhookconfigurations', 'conditional', async () => {
      await c.kubectlOk(['create', '-f', '-'], { input: cm('untagged') });
      const tagged = await c.kubectl(['create', '-f', '-'], { input: cm('tagged', 'default', 'tagged: "1"') });
      expect(tagged.stderr).toContain('admission webhook "cond.flotilla.test" denied the request without explanation');
    });
    await c.kubectlOk(['delete', 'configmap', 'untagged']);
    // matchConditions may ask the authorizer: the webhook is called only for requesters who may not list secrets.
    const byPermission = configuration('Validating', 'by-permission', [{
      name: 'perm.flotilla.test', path: '/deny-all',
      extra: '  matchConditions: [{name: cannot-list-secrets, expression: "!authorizer.group(\'\').resource(\'secrets\').namespace(\'default\').check(\'list\').allowed()"}]',
    }]);
    await c.kubectlOk(['create', 'serviceaccount', 'hooked', '-n', 'default']);
    await c.kubectlOk(['create', 'role', 'hooked-cm', '--verb=create', '--resource=configmaps', '-n', 'default']);
    await c.kubectlOk(['create', 'rolebinding', 'hooked-cm', '--role=hooked-cm', '--serviceaccount=default:hooked', '-n', 'default']);
    await withConfiguration(byPermission, 'validatingwebhookconfigurations', 'by-permission', async () => {
      await c.kubectlOk(['create', '-f', '-'], { input: cm('by-admin') });
      const hooked = await c.kubectl(['create', '-f', '-', '--as=system:serviceaccount:default:hooked'], { input: cm('by-hooked') });
      expect(hooked.stderr).toContain('admission webhook "perm.flotilla.test" denied the request without explanation');
    });
    await c.kubectlOk(['delete', 'configmap', 'by-admin']);
  });
});
