// API Priority and Fairness' configuration served as flowcontrol.apiserver.k8s.io/v1 objects, with real kubectl: the
// bootstrap PriorityLevelConfigurations and FlowSchemas (kube-apiserver's mandatory and suggested ones, kubectl's
// columns), a user's FlowSchema and level taking effect at once (the X-Kubernetes-PF-*-UID headers name them; the
// level's seats come from its share), a dangling FlowSchema marked and skipped, the mandatory objects' fixed specs,
// Kubernetes' validation messages, and the ensurer keeping a suggested object's edits only when its autoupdate
// annotation says so.
import * as https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { waitFor } from '../../helpers/wait';
import { resourceFor } from '../../../main/api/resources';
import type { FlowSchema, PriorityLevelConfiguration } from '../../../main/api/types';
import { ensureFlowControlConfiguration } from '../../../main/apiserver/flowcontrol/ensure';

let c: TestCluster;
const FS = resourceFor('flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas')!;
const PL = resourceFor('flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations')!;

beforeAll(async () => {
  c = await startTestCluster({ controllers: false });
});
afterAll(async () => {
  await c?.stop();
});

/** The PF headers of a GET as `user` (impersonated by the admin). */
function pfHeaders(user: string, path = '/api/v1/namespaces/default/configmaps'): Promise<{ schema: string; level: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${c.core.api.url}${path}`, {
      ca: c.core.caCertPem,
      headers: { Authorization: `Bearer ${c.core.auth.adminToken}`, 'Impersonate-User': user, 'Impersonate-Group': 'system:authenticated' },
    }, (res) => {
      res.resume();
      resolve({ schema: String(res.headers['x-kubernetes-pf-flowschema-uid']), level: String(res.headers['x-kubernetes-pf-prioritylevel-uid']) });
    });
    req.on('error', reject);
    req.end();
  });
}
const uid = (r: typeof FS, name: string) => c.core.registry.get(r, undefined, name).metadata.uid;

describe('flowcontrol.apiserver.k8s.io', () => {
  it('serves the bootstrap configuration with kubectl\'s columns; every schema finds its level', async () => {
    const levels = await c.kubectlOk(['get', 'prioritylevelconfigurations']);
    expect(levels.split('\n')[0]).toMatch(/^NAME\s+TYPE\s+NOMINALCONCURRENCYSHARES\s+QUEUES\s+HANDSIZE\s+QUEUELENGTHLIMIT\s+AGE$/);
    expect(levels).toMatch(/^catch-all\s+Limited\s+5\s+<none>\s+<none>\s+<none>\s+\d+s$/m);
    expect(levels).toMatch(/^exempt\s+Exempt\s+<none>\s+<none>\s+<none>\s+<none>\s+\d+s$/m);
    expect(levels).toMatch(/^workload-low\s+Limited\s+100\s+128\s+6\s+50\s+\d+s$/m);
    const schemas = await waitFor(async () => {
      const out = await c.kubectlOk(['get', 'flowschemas']);
      return out.includes('?') ? undefined : out;
    }, 'every FlowSchema\'s Dangling condition');
    expect(schemas.split('\n')[0]).toMatch(/^NAME\s+PRIORITYLEVEL\s+MATCHINGPRECEDENCE\s+DISTINGUISHERMETHOD\s+AGE\s+MISSINGPL$/);
    expect(schemas).toMatch(/^exempt\s+exempt\s+1\s+\*\s+\d+s\s+False$/m);
    expect(schemas).toMatch(/^system-node-high\s+node-high\s+400\s+ByUser\s+\d+s\s+False$/m);
    expect(schemas).toMatch(/^catch-all\s+catch-all\s+10000\s+ByUser\s+\d+s\s+False$/m);
    const fs = JSON.parse(await c.kubectlOk(['get', 'flowschema', 'global-default', '-o', 'json'])) as FlowSchema;
    expect(fs.metadata?.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
    expect(fs.status?.conditions).toEqual([expect.objectContaining({
      type: 'Dangling', status: 'False', reason: 'Found', message: 'This FlowSchema references the PriorityLevelConfiguration object named "global-default" and it exists',
    })]);
    expect(await pfHeaders('alice')).toEqual({ schema: uid(FS, 'global-default'), level: uid(PL, 'global-default') });
  });

  it('a user\'s level and schema take effect at once, with the level\'s seats from its share', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: batch-jobs}
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: 10
    limitResponse: {type: Queue, queuing: {queues: 16}}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: batch-robots}
spec:
  priorityLevelConfiguration: {name: batch-jobs}
  distinguisherMethod: {type: ByNamespace}
  rules:
  - subjects: [{kind: User, user: {name: robot}}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true}]
` });
    const level = JSON.parse(await c.kubectlOk(['get', 'prioritylevelconfiguration', 'batch-jobs', '-o', 'json'])) as PriorityLevelConfiguration;
    expect(level.spec?.limited).toEqual({ nominalConcurrencyShares: 10, lendablePercent: 0, limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 8, queueLengthLimit: 50 } } });
    expect((JSON.parse(await c.kubectlOk(['get', 'flowschema', 'batch-robots', '-o', 'json'])) as FlowSchema).spec?.matchingPrecedence).toBe(1000);
    await waitFor(async () => (await pfHeaders('robot')).schema === uid(FS, 'batch-robots'), 'robot classified by batch-robots');
    expect((await pfHeaders('robot')).level).toBe(uid(PL, 'batch-jobs'));
    expect(await pfHeaders('alice')).toEqual({ schema: uid(FS, 'global-default'), level: uid(PL, 'global-default') });
    // 600 seats shared by 255 shares: ceil(600 × 10 / 255) = 24.
    expect(c.core.api.flowControl.queueSet('batch-jobs')?.limit).toBe(24);
    await c.kubectlOk(['delete', 'flowschema', 'batch-robots']);
    await waitFor(async () => (await pfHeaders('robot')).schema === uid(FS, 'global-default'), 'robot back in global-default');
  });

  it('a schema whose level does not exist is marked dangling and skipped', async () => {
    await c.kubectlOk(['apply', '-f', '-'], { input: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: orphan}
spec:
  priorityLevelConfiguration: {name: nowhere}
  matchingPrecedence: 500
  rules:
  - subjects: [{kind: User, user: {name: lost}}]
    nonResourceRules: [{verbs: ["*"], nonResourceURLs: ["*"]}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true}]
` });
    const row = await waitFor(async () => {
      const out = await c.kubectlOk(['get', 'flowschema', 'orphan', '--no-headers']);
      return /\sTrue\n$/.test(out) ? out : undefined;
    }, 'orphan marked dangling');
    expect(row).toMatch(/^orphan\s+nowhere\s+500\s+\*\s+\d+s\s+True\n$/);
    const fs = JSON.parse(await c.kubectlOk(['get', 'flowschema', 'orphan', '-o', 'json'])) as FlowSchema;
    expect(fs.status?.conditions?.[0]).toMatchObject({
      type: 'Dangling', status: 'True', reason: 'NotFound', message: 'This FlowSchema references the PriorityLevelConfiguration object named "nowhere" but there is no such object',
    });
    expect((await pfHeaders('lost')).schema).toBe(uid(FS, 'global-default'));
  });

  it('refuses what kube-apiserver refuses, in its words; the mandatory objects keep their fixed specs', async () => {
    const bad = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: bad}
spec:
  priorityLevelConfiguration: {name: ""}
  matchingPrecedence: 1
  distinguisherMethod: {type: ByPod}
  rules:
  - subjects: [{kind: Robot}]
    resourceRules: [{verbs: [get, "*"], apiGroups: [], resources: [pods]}]
    nonResourceRules: [{verbs: [fly], nonResourceURLs: ["healthz", "/a/*/b"]}]
` });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The FlowSchema "bad" is invalid: ');
    for (const m of [
      "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1",
      'spec.distinguisherMethod.type: Unsupported value: &v1.FlowDistinguisherMethod{Type:"ByPod"}: supported values: "ByNamespace", "ByUser"',
      'spec.priorityLevelConfiguration.name: Required value: must reference a priority level',
      'spec.rules[0].subjects[0].kind: Unsupported value: "Robot": supported values: "Group", "ServiceAccount", "User"',
      'spec.rules[0].resourceRules[0].verbs: Invalid value: []string{"get", "*"}: if \'*\' is present, must not specify other verbs',
      'spec.rules[0].resourceRules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace',
      'spec.rules[0].nonResourceRules[0].verbs: Unsupported value: []string{"fly"}: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"',
      'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "healthz": must start with slash',
      'spec.rules[0].nonResourceRules[0].nonResourceURLs[1]: Invalid value: "/a/*/b": wildcard can only do suffix matching',
    ]) expect(bad.stderr).toContain(m);
    const level = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: exempt-ish}
spec:
  type: Exempt
  limited: {nominalConcurrencyShares: -1, lendablePercent: 101, limitResponse: {type: Queue, queuing: {queues: 4, handSize: 5}}}
` });
    expect(level.stderr).toContain("spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is 'exempt'");
    expect(level.stderr).toContain('spec.limited: Forbidden: must be nil if the type is not Limited');
    const queuing = await c.kubectl(['create', '-f', '-'], { input: `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: odd}
spec: {type: Limited, limited: {nominalConcurrencyShares: -1, lendablePercent: 101, limitResponse: {type: Queue, queuing: {queues: 4, handSize: 5}}}}
` });
    expect(queuing.stderr).toContain('spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer');
    expect(queuing.stderr).toContain('spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive');
    expect(queuing.stderr).toContain('spec.limited.limitResponse.queuing.handSize: Invalid value: 5: should not be greater than queues (4)');
    const mandatory = await c.kubectl(['patch', 'prioritylevelconfiguration', 'catch-all', '--type=merge', '-p', '{"spec":{"limited":{"nominalConcurrencyShares":50}}}']);
    expect(mandatory.stderr).toContain("spec of 'catch-all' must equal the fixed value");
  });

  it('at start, a suggested object gets its spec back unless its autoupdate annotation is "false"', async () => {
    await c.kubectlOk(['patch', 'prioritylevelconfiguration', 'workload-low', '--type=merge', '-p', '{"spec":{"limited":{"nominalConcurrencyShares":7}}}']);
    await c.kubectlOk(['annotate', '--overwrite', 'prioritylevelconfiguration', 'global-default', 'apf.kubernetes.io/autoupdate-spec=false']);
    await c.kubectlOk(['patch', 'prioritylevelconfiguration', 'global-default', '--type=merge', '-p', '{"spec":{"limited":{"nominalConcurrencyShares":3}}}']);
    await c.kubectlOk(['delete', 'flowschema', 'probes']);
    // What a restart of the control plane runs.
    await ensureFlowControlConfiguration(c.core.registry);
    const shares = (name: string) => (c.core.registry.get(PL, undefined, name).spec as PriorityLevelConfiguration['spec'])?.limited?.nominalConcurrencyShares;
    expect(shares('workload-low')).toBe(100);
    expect(shares('global-default')).toBe(3);
    expect(c.core.registry.tryGet(FS, undefined, 'probes')).toBeDefined();
  });
});
