// ValidatingAdmissionPolicy enforcement in the registry (on a real SQLite store): resource rules with resourceNames,
// excludeResourceRules, wildcards and operations (DELETE sees oldObject), the object selector, matchConditions,
// variables, failurePolicy for runtime errors, request fields, and the refusal's Status.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { resourceFor } from '../../../main/api/resources';
import type { Registry } from '../../../main/apiserver/registry/registry';
import { ApiError } from '../../../main/apiserver/status';
import { closeRegistry, openRegistry } from './fixture';

const POLICIES = resourceFor('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies')!;
const BINDINGS = resourceFor('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings')!;
const CONFIGMAPS = resourceFor('', 'v1', 'configmaps')!;

let reg: Registry;
beforeEach(async () => {
  reg = await openRegistry({ admission: true });
});
afterEach(closeRegistry);

async function bind(name: string, spec: Record<string, unknown>, actions = ['Deny']): Promise<void> {
  await reg.create(POLICIES, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec }, {});
  await reg.create(BINDINGS, undefined, {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `${name}-binding` },
    spec: { policyName: name, validationActions: actions },
  }, {});
}

const configMaps = (rule: Record<string, unknown> = {}) => ({
  resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['configmaps'], ...rule }],
});
const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: labels ? { name, labels } : { name }, data });

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof ApiError)) throw new Error(`expected a refusal, got ${String(e)}`);
  return e;
}

describe('ValidatingAdmissionPolicy enforcement', () => {
  it('matches resourceNames, skips excluded rules, and sees oldObject on DELETE', async () => {
    await bind('protect', {
      matchConstraints: {
        ...configMaps({ resourceNames: ['keep', 'other'] }),
        excludeResourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['*'], resources: ['configmaps'], resourceNames: ['other'] }],
      },
      validations: [{ expression: "request.operation != 'DELETE' || oldObject.metadata.name != 'keep'", message: 'keep stays' }],
    });
    await reg.create(CONFIGMAPS, 'default', cm('keep'), {});
    await reg.create(CONFIGMAPS, 'default', cm('other'), {});
    await reg.create(CONFIGMAPS, 'default', cm('free'), {});
    const e = await refusal(reg.delete(CONFIGMAPS, 'default', 'keep', {}));
    expect(e.code).toBe(422);
    expect(e.message).toBe('configmaps "keep" is forbidden: ValidatingAdmissionPolicy \'protect\' with binding \'protect-binding\' denied request: keep stays');
    expect(e.details).toEqual({ name: 'keep', kind: 'configmaps', causes: [{ message: e.message.replace('configmaps "keep" is forbidden: ', '') }] });
    await reg.delete(CONFIGMAPS, 'default', 'other', {});
    await reg.delete(CONFIGMAPS, 'default', 'free', {});
  });

  it('selects by object labels (new or old), applies matchConditions and variables', async () => {
    await bind('labelled', {
      matchConstraints: { ...configMaps(), objectSelector: { matchLabels: { checked: 'yes' } } },
      matchConditions: [{ name: 'not-exempt', expression: "!has(object.data) || !('exempt' in object.data)" }],
      variables: [{ name: 'size', expression: 'has(object.data) ? size(object.data) : 0' }, { name: 'max', expression: 'variables.size < 3' }],
      validations: [{ expression: 'variables.max', messageExpression: "'too many keys: ' + string(variables.size)", reason: 'RequestEntityTooLarge' }],
    });
    const big = { a: '1', b: '2', c: '3' };
    await reg.create(CONFIGMAPS, 'default', cm('unlabelled', big), {});
    const e = await refusal(reg.create(CONFIGMAPS, 'default', cm('big', big, { checked: 'yes' }), {}));
    expect([e.code, e.reason]).toEqual([413, 'RequestEntityTooLarge']);
    expect(e.message).toContain('denied request: too many keys: 3');
    await reg.create(CONFIGMAPS, 'default', cm('exempt', { ...big, exempt: 'x' }, { checked: 'yes' }), {});
    // Dropping the label on an update: the old object still matches.
    await reg.create(CONFIGMAPS, 'default', cm('small', { a: '1' }, { checked: 'yes' }), {});
    await refusal(reg.update(CONFIGMAPS, 'default', 'small', cm('small', big), {}));
  });

  it('refuses on runtime errors with failurePolicy Fail and admits with Ignore', async () => {
    await bind('fails', { failurePolicy: 'Fail', matchConstraints: configMaps({ operations: ['CREATE'] }), validations: [{ expression: 'object.data.missing == "x"' }] });
    const e = await refusal(reg.create(CONFIGMAPS, 'default', cm('a', { k: 'v' }), {}));
    expect(e.message).toContain("denied request: expression 'object.data.missing == \"x\"' resulted in error: no such key: missing");
    await reg.delete(BINDINGS, undefined, 'fails-binding', {});
    await bind('ignores', { failurePolicy: 'Ignore', matchConstraints: configMaps({ operations: ['CREATE'] }), validations: [{ expression: 'object.data.missing == "x"' }] });
    await reg.create(CONFIGMAPS, 'default', cm('b', { k: 'v' }), {});
  });

  it('applies to every resource a wildcard rule names but the admission configuration kinds', async () => {
    await bind('all', { matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*'] }] },
      validations: [{ expression: 'false', message: 'nothing' }] });
    await refusal(reg.create(CONFIGMAPS, 'default', cm('x'), {}));
    // The policy itself can still be changed and removed.
    await reg.delete(BINDINGS, undefined, 'all-binding', {});
    await reg.delete(POLICIES, undefined, 'all', {});
    await reg.create(CONFIGMAPS, 'default', cm('x'), {});
  });

  it('warns instead of refusing with Warn', async () => {
    await bind('warns', { matchConstraints: configMaps(), validations: [{ expression: 'false' }] }, ['Warn', 'Audit']);
    const r = await reg.create(CONFIGMAPS, 'default', cm('w'), {});
    expect(r.warnings).toEqual(["Validation failed for ValidatingAdmissionPolicy 'warns' with binding 'warns-binding': failed expression: false"]);
  });
});
