// ValidatingAdmissionPolicies with real kubectl: a policy and binding refusing a Deployment with too many
// replicas with Kubernetes' message, the Warn action's warning, a ConfigMap as params, a binding narrowed by
// a namespaceSelector, messageExpression with reason Forbidden, CEL compile errors refused at create, and the
// `kubectl get` columns of both kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster();
});
afterAll(async () => {
  await c?.stop();
});

const policy = (name: string, spec: string) =>
  `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const binding = (name: string, spec: string) =>
  `apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const deployments = [
  '  matchConstraints:',
  '    resourceRules:',
  '    - apiGroups: ["apps"]',
  '      apiVersions: ["v1"]',
  '      operations: ["CREATE", "UPDATE"]',
  '      resources: ["deployments"]',
].join('\n');
const deploy = (ns: string, name: string, replicas: number) => ['create', 'deployment', name, '-n', ns, '--image=busybox', `--replicas=${replicas}`];

describe('ValidatingAdmissionPolicy', () => {
  it('denies a Deployment with too many replicas with Kubernetes\' message, and prints both kinds\' columns', async () => {
    await c.kubectlOk(['create', 'namespace', 'vap-deny']);
    await c.kubectlOk(['label', 'namespace', 'vap-deny', 'vap=deny']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: policy('demo-policy.example.com', `  failurePolicy: Fail\n${deployments}\n  validations:\n  - expression: "object.spec.replicas <= 5"\n`),
    });
    await c.kubectlOk(['apply', '-f', '-'], {
      input: binding('demo-binding-test.example.com', '  policyName: demo-policy.example.com\n  validationActions: [Deny]\n'
        + '  matchResources:\n    namespaceSelector:\n      matchLabels:\n        vap: deny\n'),
    });
    const refused = await c.kubectl(deploy('vap-deny', 'big', 6));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toBe('error: failed to create deployment: deployments.apps "big" is forbidden: ValidatingAdmissionPolicy '
      + '\'demo-policy.example.com\' with binding \'demo-binding-test.example.com\' denied request: failed expression: object.spec.replicas <= 5\n');
    // From a manifest kubectl prints the 422's cause.
    const manifest = await c.kubectl(['create', '-f', '-'], {
      input: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: big\n  namespace: vap-deny\nspec:\n  replicas: 7\n  selector:\n    matchLabels:\n'
        + '      app: big\n  template:\n    metadata:\n      labels:\n        app: big\n    spec:\n      containers:\n      - name: c\n        image: busybox\n',
    });
    expect(manifest.stderr).toContain('The deployments "big" is invalid: : ValidatingAdmissionPolicy \'demo-policy.example.com\' with binding '
      + '\'demo-binding-test.example.com\' denied request: failed expression: object.spec.replicas <= 5');
    await c.kubectlOk(deploy('vap-deny', 'small', 5));
    // A patch past the limit is an UPDATE of the deployment: refused too, a 422 whose one cause kubectl prints.
    const patched = await c.kubectl(['patch', 'deployment', 'small', '-n', 'vap-deny', '--type=merge', '-p', '{"spec":{"replicas":9}}']);
    expect(patched.stderr).toBe('The deployments "small" is invalid: : ValidatingAdmissionPolicy \'demo-policy.example.com\' with binding '
      + '\'demo-binding-test.example.com\' denied request: failed expression: object.spec.replicas <= 5\n');

    const policies = (await c.kubectlOk(['get', 'validatingadmissionpolicies'])).split('\n');
    expect(policies[0]).toMatch(/^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE$/);
    expect(policies[1]).toMatch(/^demo-policy\.example\.com\s+1\s+<unset>\s+\d+s$/);
    const bindings = (await c.kubectlOk(['get', 'validatingadmissionpolicybindings'])).split('\n');
    expect(bindings[0]).toMatch(/^NAME\s+POLICYNAME\s+PARAMREF\s+AGE$/);
    expect(bindings[1]).toMatch(/^demo-binding-test\.example\.com\s+demo-policy\.example\.com\s+<unset>\s+\d+s$/);
    expect(await c.kubectlOk(['get', 'validatingadmissionpolicy', 'demo-policy.example.com', '-o',
      'jsonpath={.spec.failurePolicy} {.spec.matchConstraints.matchPolicy} {.spec.matchConstraints.resourceRules[0].scope} {.metadata.generation}']))
      .toBe('Fail Equivalent * 1');
    const apiResources = await c.kubectlOk(['api-resources', '--api-group=admissionregistration.k8s.io', '--categories=api-extensions', '-o', 'name']);
    expect(apiResources).toContain('validatingadmissionpolicies.admissionregistration.k8s.io\nvalidatingadmissionpolicybindings.admissionregistration.k8s.io');
    await c.kubectlOk(['delete', 'validatingadmissionpolicybinding', 'demo-binding-test.example.com']);
    await c.kubectlOk(deploy('vap-deny', 'big', 6));
  });

  it('warns with the Warn action and admits the request', async () => {
    await c.kubectlOk(['create', 'namespace', 'vap-warn']);
    await c.kubectlOk(['label', 'namespace', 'vap-warn', 'vap=warn']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: policy('warn-policy', `${deployments}\n  validations:\n  - expression: "object.spec.replicas <= 2"\n    message: at most two replicas\n`),
    });
    await c.kubectlOk(['apply', '-f', '-'], {
      input: binding('warn-binding', '  policyName: warn-policy\n  validationActions: [Warn, Audit]\n  matchResources:\n    namespaceSelector:\n'
        + '      matchLabels:\n        vap: warn\n'),
    });
    const r = await c.kubectl(deploy('vap-warn', 'many', 3));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: Validation failed for ValidatingAdmissionPolicy 'warn-policy' with binding 'warn-binding': at most two replicas");
    expect(r.stdout).toContain('deployment.apps/many created');
  });

  it('reads a ConfigMap as params, by name and by selector, with parameterNotFoundAction', async () => {
    await c.kubectlOk(['create', 'namespace', 'vap-params']);
    await c.kubectlOk(['label', 'namespace', 'vap-params', 'vap=params']);
    await c.kubectlOk(['create', 'configmap', 'limits', '-n', 'vap-params', '--from-literal=maxReplicas=3']);
    await c.kubectlOk(['label', 'configmap', 'limits', '-n', 'vap-params', 'role=limits']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: policy('replica-limit', `  paramKind:\n    apiVersion: v1\n    kind: ConfigMap\n${deployments}\n  validations:\n`
        + '  - expression: "object.spec.replicas <= int(params.data.maxReplicas)"\n'
        + '    messageExpression: "\'replicas must be at most \' + params.data.maxReplicas"\n    reason: Forbidden\n'),
    });
    await c.kubectlOk(['apply', '-f', '-'], {
      input: binding('replica-limit-by-name', '  policyName: replica-limit\n  validationActions: [Deny]\n  paramRef:\n    name: limits\n'
        + '    namespace: vap-params\n    parameterNotFoundAction: Deny\n  matchResources:\n    namespaceSelector:\n      matchLabels:\n'
        + '        vap: params\n'),
    });
    const bindings = await c.kubectlOk(['get', 'validatingadmissionpolicybinding', 'replica-limit-by-name']);
    expect(bindings.split('\n')[1]).toMatch(/^replica-limit-by-name\s+replica-limit\s+vap-params\/limits\s+\d+s$/);
    const refused = await c.kubectl(deploy('vap-params', 'four', 4));
    expect(refused.code).not.toBe(0);
    // reason Forbidden: a 403, which kubectl prints as the message itself.
    expect(refused.stderr).toContain('deployments.apps "four" is forbidden: ValidatingAdmissionPolicy \'replica-limit\' with binding '
      + '\'replica-limit-by-name\' denied request: replicas must be at most 3');
    await c.kubectlOk(deploy('vap-params', 'three', 3));

    // Raising the parameter admits what it refused.
    await c.kubectlOk(['patch', 'configmap', 'limits', '-n', 'vap-params', '--type=merge', '-p', '{"data":{"maxReplicas":"4"}}']);
    await c.kubectlOk(deploy('vap-params', 'four', 4));

    // No params: Deny refuses everything the binding selects.
    await c.kubectlOk(['delete', 'configmap', 'limits', '-n', 'vap-params']);
    const missing = await c.kubectl(deploy('vap-params', 'one', 1));
    expect(missing.stderr).toContain('denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction');

    // A selector finding nothing, with Allow: admitted.
    await c.kubectlOk(['delete', 'validatingadmissionpolicybinding', 'replica-limit-by-name']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: binding('replica-limit-by-selector', '  policyName: replica-limit\n  validationActions: [Deny]\n  paramRef:\n    selector:\n'
        + '      matchLabels:\n        role: limits\n    parameterNotFoundAction: Allow\n  matchResources:\n    namespaceSelector:\n      matchLabels:\n'
        + '        vap: params\n'),
    });
    await c.kubectlOk(deploy('vap-params', 'ten', 10));
    await c.kubectlOk(['create', 'configmap', 'limits2', '-n', 'vap-params', '--from-literal=maxReplicas=2']);
    await c.kubectlOk(['label', 'configmap', 'limits2', '-n', 'vap-params', 'role=limits']);
    const bySelector = await c.kubectl(deploy('vap-params', 'five', 5));
    expect(bySelector.stderr).toContain("with binding 'replica-limit-by-selector' denied request: replicas must be at most 2");
  });

  it('narrows a binding to the namespaces its namespaceSelector selects', async () => {
    await c.kubectlOk(['create', 'namespace', 'vap-prod']);
    await c.kubectlOk(['label', 'namespace', 'vap-prod', 'env=prod']);
    await c.kubectlOk(['create', 'namespace', 'vap-dev']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: policy('no-latest', [
        '  matchConstraints:', '    resourceRules:', '    - apiGroups: [""]', '      apiVersions: ["v1"]', '      operations: ["CREATE"]',
        '      resources: ["pods"]', '  variables:', '  - name: images', '    expression: "object.spec.containers.map(c, c.image)"',
        '  validations:', '  - expression: "variables.images.all(i, !i.endsWith(\':latest\'))"', '    message: no latest tags', '',
      ].join('\n')),
    });
    await c.kubectlOk(['apply', '-f', '-'], {
      input: binding('no-latest-prod', '  policyName: no-latest\n  validationActions: [Deny]\n  matchResources:\n    namespaceSelector:\n'
        + '      matchLabels:\n        env: prod\n'),
    });
    const prod = await c.kubectl(['run', 'p', '-n', 'vap-prod', '--image=busybox:latest']);
    expect(prod.code).not.toBe(0);
    expect(prod.stderr).toContain('The pods "p" is invalid: : ValidatingAdmissionPolicy \'no-latest\' with binding \'no-latest-prod\' denied request: no latest tags');
    await c.kubectlOk(['run', 'p', '-n', 'vap-dev', '--image=busybox:latest']);
    await c.kubectlOk(['run', 'q', '-n', 'vap-prod', '--image=busybox:1.36']);
  });

  it('refuses at create what does not compile or is not well formed, with Kubernetes\' messages', async () => {
    const bad = await c.kubectl(['apply', '-f', '-'], {
      input: policy('broken', `${deployments}\n  validations:\n  - expression: "object.spec.replicas <= "\n  - expression: "nosuch.spec > 1"\n`),
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.validations[0].expression: Invalid value: "object.spec.replicas <= ": compilation failed: ERROR: <input>:1:');
    expect(bad.stderr).toContain(': Syntax error: ');
    expect(bad.stderr).toContain("spec.validations[1].expression: Invalid value: \"nosuch.spec > 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'nosuch' (in container '')");
    const notBool = await c.kubectl(['apply', '-f', '-'], { input: policy('not-bool', `${deployments}\n  validations:\n  - expression: "object.spec.replicas"\n`) });
    expect(notBool.stderr).toContain('spec.validations[0].expression: Invalid value: "object.spec.replicas": must evaluate to bool');
    const noParams = await c.kubectl(['apply', '-f', '-'], { input: policy('no-params', `${deployments}\n  validations:\n  - expression: "params.x == 1"\n`) });
    expect(noParams.stderr).toContain("undeclared reference to 'params' (in container '')");
    const empty = await c.kubectl(['apply', '-f', '-'], { input: policy('empty', `${deployments}\n`) });
    expect(empty.stderr).toContain('spec.validations: Required value: validations or auditAnnotations must contain at least one item');
    const actions = await c.kubectl(['apply', '-f', '-'], { input: binding('both', '  policyName: p\n  validationActions: [Deny, Warn]\n') });
    expect(actions.stderr).toContain('spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn');
    // kubectl explain reads the kinds' OpenAPI schemas.
    expect(await c.kubectlOk(['explain', 'validatingadmissionpolicy.spec.validations'])).toContain('messageExpression\t<string>');
    const none = await c.kubectl(['apply', '-f', '-'], { input: binding('none', '  policyName: p\n') });
    expect(none.stderr).toContain('spec.validationActions: Required value: at least one validation action is required');
  });
});
