// Kubernetes' typed CEL libraries in real manifests, with real kubectl: a CRD whose rules use quantity(), cidr() and
// ip strings, url(), format.dns1123Label() with optional values and sets.contains — applied, then objects that pass
// and objects refused with apiextensions' messages (a failed rule, a messageExpression, a runtime error's
// `<error> evaluating rule: <rule>`) — and a ValidatingAdmissionPolicy capping containers' memory with quantity().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';
import { crdManifest, defineCrd, ruledSpecSchema, storedVersion } from '../../helpers/crd';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const RULES = [
  ['isCIDR(self.cidr) && cidr(self.cidr).containsIP(self.gateway)', 'message: gateway must be inside cidr'],
  ['cidr(self.cidr).masked() == cidr(self.cidr)', "messageExpression: \"'cidr ' + self.cidr + ' is not masked, use ' + string(cidr(self.cidr).masked())\""],
  ['quantity(self.memory).compareTo(quantity(self.limit)) <= 0', "messageExpression: \"'memory ' + self.memory + ' is above ' + self.limit\""],
  ["url(self.endpoint).getScheme() == 'https' && url(self.endpoint).getPort() != '80'", 'message: endpoint must be https'],
  ['!format.dns1123Label().validate(self.name).hasValue()', "messageExpression: \"format.dns1123Label().validate(self.name).value().join(', ')\""],
  ["sets.contains(['gold', 'silver', 'bronze'], self.tiers)", 'message: unknown tier'],
];

const CRD = crdManifest({ group: 'net.example.com', plural: 'pools', kind: 'Pool' }, storedVersion(ruledSpecSchema(
  RULES.map(([rule, msg]) => `            - rule: "${rule}"\n              ${msg}`).join('\n'),
  ['cidr: {type: string}', 'gateway: {type: string}', 'memory: {type: string}', 'limit: {type: string}', 'endpoint: {type: string}',
    'name: {type: string}', 'tiers: {type: array, items: {type: string}}'].map((p) => `              ${p}`).join('\n'),
)));

const pool = (name: string, spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'net.example.com/v1', kind: 'Pool', metadata: { name, namespace: 'default' }, spec });
const GOOD = { cidr: '10.20.0.0/16', gateway: '10.20.0.1', memory: '512Mi', limit: '1Gi', endpoint: 'https://api.example.com:8443/v1', name: 'edge-1', tiers: ['gold'] };

describe('typed CEL libraries in CRD rules and admission policies', () => {
  it('admits what the rules allow and refuses the rest with apiextensions\' messages', async () => {
    await defineCrd(c, CRD, 'pools.net.example.com');
    await c.kubectlOk(['apply', '-f', '-'], { input: pool('good', GOOD) });
    // Equal quantities written differently are equal.
    await c.kubectlOk(['apply', '-f', '-'], { input: pool('equal', { ...GOOD, memory: '1024Mi' }) });
    expect(await c.kubectlOk(['get', 'pools', '-o', 'name'])).toBe('pool.net.example.com/equal\npool.net.example.com/good\n');

    const bad = await c.kubectl(['apply', '-f', '-'], {
      input: pool('bad', { cidr: '10.20.0.5/16', gateway: '10.30.0.1', memory: '2Gi', limit: '1Gi', endpoint: 'http://api.example.com', name: 'Edge_1', tiers: ['gold', 'platinum'] }),
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('The Pool "bad" is invalid: \n');
    expect(bad.stderr).toContain('* spec: Invalid value: "object": gateway must be inside cidr\n');
    expect(bad.stderr).toContain('* spec: Invalid value: "object": cidr 10.20.0.5/16 is not masked, use 10.20.0.0/16\n');
    expect(bad.stderr).toContain('* spec: Invalid value: "object": memory 2Gi is above 1Gi\n');
    expect(bad.stderr).toContain('* spec: Invalid value: "object": endpoint must be https\n');
    expect(bad.stderr).toContain("* spec: Invalid value: \"object\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\n");
    expect(bad.stderr).toContain('* spec: Invalid value: "object": unknown tier');

    const broken = await c.kubectl(['apply', '-f', '-'], { input: pool('broken', { ...GOOD, memory: '10Mo', endpoint: 'api.example.com' }) });
    expect(broken.stderr).toContain("spec: Invalid value: \"object\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' evaluating rule: quantity(self.memory).compareTo(quantity(self.limit)) <= 0");
    expect(broken.stderr).toContain('spec: Invalid value: "object": URL parse error during conversion from string: parse "api.example.com": invalid URI for request evaluating rule: ');
    expect(await c.kubectlOk(['get', 'pools', '-o', 'name'])).toBe('pool.net.example.com/equal\npool.net.example.com/good\n');
  });

  it('caps containers\' memory with quantity() in a ValidatingAdmissionPolicy', async () => {
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: memory-cap
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["deployments"]
  validations:
  - expression: "object.spec.template.spec.containers.all(c, !has(c.resources.limits) || !('memory' in c.resources.limits) || quantity(c.resources.limits.memory).compareTo(quantity('1Gi')) <= 0)"
    messageExpression: "'memory limits must be at most 1Gi, not ' + object.spec.template.spec.containers.map(c, c.resources.limits.memory).join(', ')"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: memory-cap-binding
spec:
  policyName: memory-cap
  validationActions: [Deny]
`;
    await c.kubectlOk(['apply', '-f', '-'], { input: policy });
    const deployment = (name: string, memory: string) => JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory } } }] } },
      },
    });
    const denied = await c.kubectl(['apply', '-f', '-'], { input: deployment('big', '1536Mi') });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain("ValidatingAdmissionPolicy 'memory-cap' with binding 'memory-cap-binding' denied request: memory limits must be at most 1Gi, not 1536Mi");
    // Exactly 1Gi, written in bytes: admitted (and stored as written, its canonical form).
    await c.kubectlOk(['apply', '-f', '-'], { input: deployment('small', '1073741824') });
    expect(await c.kubectlOk(['get', 'deployment', 'small', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}'])).toBe('1073741824');
  });

  it('answers the authorizer library from RBAC, for the requester and for a named service account', async () => {
    const rbac = `apiVersion: v1
kind: ServiceAccount
metadata: {name: writer, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-writer, namespace: default}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [create, get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cm-writer, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-writer}
subjects:
- {kind: ServiceAccount, name: writer, namespace: default}
`;
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: guarded-configmaps
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["configmaps"]
  matchConditions:
  - name: guarded
    expression: "has(object.metadata.labels) && 'guarded' in object.metadata.labels"
  validations:
  - expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list').allowed()"
    messageExpression: "'only who may list secrets may create guarded configmaps (' + authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('list').reason() + ')'"
  - expression: "authorizer.requestResource.check('create').allowed() && !authorizer.requestResource.name('other').check('delete').allowed() || authorizer.path('/healthz').check('get').allowed() && authorizer.requestResource.check('delete').allowed()"
    message: requestResource checks the request's own resource
  - expression: "authorizer.serviceAccount('default', 'writer').group('').resource('configmaps').namespace('default').check('create').allowed() && !authorizer.serviceAccount('default', 'writer').group('').resource('secrets').namespace('default').check('list').allowed()"
    message: the writer account may create configmaps and not list secrets
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: guarded-configmaps-binding
spec:
  policyName: guarded-configmaps
  validationActions: [Deny]
`;
    await c.kubectlOk(['apply', '-f', '-'], { input: `${rbac}---\n${policy}` });
    const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { guarded: 'yes' } } });
    const asWriter = ['--as=system:serviceaccount:default:writer'];
    // The admin (system:masters) may list secrets: created.
    await c.kubectlOk(['create', '-f', '-'], { input: cm('by-admin') });
    // The writer may create configmaps but not list secrets: refused with RBAC's reason.
    const refused = await c.kubectl(['create', '-f', '-', ...asWriter], { input: cm('by-writer') });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("ValidatingAdmissionPolicy 'guarded-configmaps' with binding 'guarded-configmaps-binding' denied request: only who may list secrets may create guarded configmaps ()");
    // RBAC gives no reason for what it does not allow, as Kubernetes' RBAC authorizer.
    // Given list on secrets, it may.
    await c.kubectlOk(['create', 'role', 'secret-lister', '--verb=list', '--resource=secrets', '-n', 'default']);
    await c.kubectlOk(['create', 'rolebinding', 'secret-lister', '--role=secret-lister', '--serviceaccount=default:writer', '-n', 'default']);
    const allowed = await c.kubectl(['create', '-f', '-', ...asWriter], { input: cm('by-writer') });
    expect(allowed.stderr).toContain('denied request: the writer account may create configmaps and not list secrets');
    await c.kubectlOk(['delete', 'rolebinding', 'secret-lister', '-n', 'default']);
    await c.kubectlOk(['delete', 'validatingadmissionpolicybinding', 'guarded-configmaps-binding']);
    expect(await c.kubectlOk(['get', 'configmaps', '-l', 'guarded', '-o', 'name'])).toBe('configmap/by-admin\n');
  });

  it('runs optionalOldSelf rules on creates with oldSelf an optional, and refuses the field on rules without oldSelf', async () => {
    const crd = (rules: string) => crdManifest({ group: 'net.example.com', plural: 'volumes', kind: 'Volume' },
      storedVersion(ruledSpecSchema(rules, '              tier: {type: string}\n              size: {type: integer}')));
    const refused = await c.kubectl(['apply', '-f', '-'], { input: crd('            - rule: "self.size > 0"\n              optionalOldSelf: true') });
    expect(refused.stderr).toContain('spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule');
    await defineCrd(c, crd([
      '            - rule: "oldSelf.hasValue() || self.tier == \'bronze\'"',
      '              message: new volumes start at bronze',
      '              optionalOldSelf: true',
      '            - rule: "self.size >= oldSelf.orValue({\'size\': 0}).size"',
      '              messageExpression: "\'size may not shrink below \' + string(oldSelf.value().size)"',
      '              optionalOldSelf: true',
      '            - rule: "self.?tier.orValue(\'bronze\') != \'platinum\' && (!oldSelf.?tier.hasValue() || oldSelf.value().tier != \'gold\' || self.?tier == optional.of(\'gold\'))"',
      '              message: no platinum, and gold stays gold',
      '              optionalOldSelf: true',
    ].join('\n')), 'volumes.net.example.com');
    const vol = (tier: string, size: number) => JSON.stringify({ apiVersion: 'net.example.com/v1', kind: 'Volume', metadata: { name: 'data', namespace: 'default' }, spec: { tier, size } });
    const gold = await c.kubectl(['create', '-f', '-'], { input: vol('gold', 10) });
    expect(gold.stderr).toContain('The Volume "data" is invalid: spec: Invalid value: "object": new volumes start at bronze');
    await c.kubectlOk(['create', '-f', '-'], { input: vol('bronze', 10) });
    await c.kubectlOk(['apply', '-f', '-'], { input: vol('gold', 20) });
    const shrunk = await c.kubectl(['apply', '-f', '-'], { input: vol('gold', 5) });
    expect(shrunk.stderr).toContain('spec: Invalid value: "object": size may not shrink below 20');
    const demoted = await c.kubectl(['apply', '-f', '-'], { input: vol('silver', 30) });
    expect(demoted.stderr).toContain('spec: Invalid value: "object": no platinum, and gold stays gold');
  });
});
