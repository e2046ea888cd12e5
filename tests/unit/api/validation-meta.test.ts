import { describe, expect, it } from 'vitest';
import { invalidMessage, validateObject, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import type { KObject } from '../../../main/api/types';
import { DNS1035_MSG, LABEL_MSG, SUBDOMAIN_MSG } from './k8s-messages';

function metaCauses(kind: string, metadata: KObject['metadata']): Cause[] {
  return validateObject(kind, { metadata }).filter((c) => c.field.startsWith('metadata'));
}

describe('names per kind', () => {
  it('the example from the brief, exactly', () => {
    expect(metaCauses('ConfigMap', { name: 'Foo_bar', namespace: 'default' })).toEqual([{
      reason: 'FieldValueInvalid', field: 'metadata.name',
      message: `Invalid value: "Foo_bar": ${SUBDOMAIN_MSG}`,
    }]);
  });

  it.each([
    ['Pod', 'a.b-c', true], ['Pod', 'Abc', false], ['Pod', 'a_b', false], ['Pod', 'a'.repeat(253), true], ['Pod', '-a', false],
    ['Deployment', 'web.v1', true], ['ReplicaSet', 'web-5d4f', true], ['DaemonSet', 'x.', false], ['ConfigMap', 'a..b', false],
    ['Secret', 'tls.example.com', true], ['Node', 'node-1.local', true], ['Lease', 'n1', true], ['Endpoints', 'svc', true],
    ['EndpointSlice', 'svc-abc12', true], ['Event', 'p.17a2b3c4d5', true],
    ['Namespace', 'kube-system', true], ['Namespace', 'a.b', false],
    ['Service', 'web', true], ['Service', '1web', false], ['Service', 'a.b', false],
    ['Machine', 'worker-1', true], ['Machine', 'worker.1', false],
  ])('%s %j valid=%s', (kind, name, ok) => {
    const namespaced = !['Node', 'Namespace', 'Machine'].includes(kind);
    const causes = metaCauses(kind, { name, ...(namespaced ? { namespace: 'default' } : {}) });
    expect(causes.filter((c) => c.field === 'metadata.name').length === 0).toBe(ok);
  });

  it.each([
    ['Namespace', 'a.b', 'Invalid value: "a.b": must not contain dots'],
    ['Namespace', 'A', `Invalid value: "A": ${LABEL_MSG}`],
    ['Service', '1web', `Invalid value: "1web": ${DNS1035_MSG}`],
    ['Pod', 'a'.repeat(254), `Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
  ])('%s %j message', (kind, name, msg) => {
    const namespaced = kind !== 'Namespace';
    const causes = metaCauses(kind, { name, ...(namespaced ? { namespace: 'default' } : {}) });
    expect(causes.map((c) => c.message)).toContain(msg);
  });

  it('a too-long but well-formed label reports only its length', () => {
    const name = 'a'.repeat(64);
    expect(metaCauses('Namespace', { name }).map((c) => c.message)).toEqual([`Invalid value: "${name}": must be no more than 63 characters`]);
  });

  it('requires a name or generateName, and a namespace for namespaced kinds', () => {
    expect(metaCauses('Pod', {})).toEqual([
      { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
      { reason: 'FieldValueRequired', field: 'metadata.namespace', message: 'Required value' },
    ]);
    expect(metaCauses('Node', { name: 'n', namespace: 'x' })).toEqual([
      { reason: 'FieldValueForbidden', field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' },
    ]);
    expect(metaCauses('Pod', { name: 'p', namespace: 'Bad_NS' }).map((c) => c.field)).toEqual(['metadata.namespace']);
  });

  it('generateName may end with a dash but must otherwise be valid', () => {
    expect(metaCauses('Pod', { generateName: 'web-', name: 'web-x1', namespace: 'd' })).toEqual([]);
    expect(metaCauses('Service', { generateName: 'web-', name: 'web-x1', namespace: 'd' })).toEqual([]);
    const bad = metaCauses('Pod', { generateName: 'Web-', name: 'web-x', namespace: 'd' });
    expect(bad).toEqual([{ reason: 'FieldValueInvalid', field: 'metadata.generateName', message: `Invalid value: "Web-": ${SUBDOMAIN_MSG}` }]);
  });

  it('labels, annotations, finalizers, ownerReferences, generation', () => {
    const causes = metaCauses('ConfigMap', {
      name: 'c', namespace: 'd', generation: -1,
      labels: { 'bad key': 'v' }, annotations: { 'Example.com/Key': 'ok', 'a/b/c': 'x' }, finalizers: ['ok/fin', 'bad fin'],
      ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }],
    });
    expect(causes.map((c) => c.field)).toEqual([
      'metadata.generation', 'metadata.labels', 'metadata.annotations',
      'metadata.ownerReferences.apiVersion', 'metadata.ownerReferences.kind', 'metadata.ownerReferences.name', 'metadata.ownerReferences.uid',
      'metadata.finalizers',
    ]);
    expect(causes[0]?.message).toBe('Invalid value: -1: must be greater than or equal to 0');
    expect(causes[3]?.message).toBe('Invalid value: "": version must not be empty');
    expect(causes[6]?.message).toBe('Invalid value: "": uid must not be empty');
  });

  it('annotations may hold at most 256 KiB', () => {
    const causes = metaCauses('ConfigMap', { name: 'c', namespace: 'd', annotations: { a: 'x'.repeat(256 * 1024) } });
    expect(causes).toEqual([{ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: may not be more than 262144 bytes' }]);
  });

  it('reports JSON type mismatches', () => {
    const causes = validateObject('ConfigMap', { metadata: { name: 5 } } as unknown as KObject);
    expect(causes[0]).toEqual({
      reason: 'FieldValueTypeInvalid', field: 'metadata.name',
      message: 'Invalid value: "integer": metadata.name in body must be of type string: "integer"',
    });
  });
});

describe('metadata updates', () => {
  const old: KObject = { metadata: { name: 'a', namespace: 'd', uid: 'u1' }, data: {} };
  it.each([
    [{ name: 'b', namespace: 'd', uid: 'u1' }, 'metadata.name', 'Invalid value: "b": field is immutable'],
    [{ name: 'a', namespace: 'e', uid: 'u1' }, 'metadata.namespace', 'Invalid value: "e": field is immutable'],
    [{ name: 'a', namespace: 'd', uid: 'u2' }, 'metadata.uid', 'Invalid value: "u2": field is immutable'],
  ])('%j', (metadata, field, message) => {
    expect(validateUpdate('ConfigMap', { metadata, data: {} }, old)).toEqual([{ reason: 'FieldValueInvalid', field, message }]);
  });
  it('an absent uid is not a change; labels may change', () => {
    expect(validateUpdate('ConfigMap', { metadata: { name: 'a', namespace: 'd', labels: { x: 'y' } } }, old)).toEqual([]);
  });
});

describe('invalidMessage', () => {
  const c1: Cause = { reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' };
  const c2: Cause = { reason: 'FieldValueInvalid', field: 'spec.template.metadata.labels', message: 'Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`' };
  it.each([
    ['Deployment', 'apps', 'x', [c1, c2], 'Deployment.apps "x" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`]'],
    ['Deployment', 'apps', 'x', [c1], 'Deployment.apps "x" is invalid: spec.selector: Required value'],
    ['Deployment', 'apps', 'x', [c1, c1], 'Deployment.apps "x" is invalid: spec.selector: Required value'],
    ['Pod', '', 'p', [c1], 'Pod "p" is invalid: spec.selector: Required value'],
    ['Machine', 'flotilla.dev', 'm', [], 'Machine.flotilla.dev "m" is invalid'],
    ['Pod', '', 'we"ird', [c1], 'Pod "we\\"ird" is invalid: spec.selector: Required value'],
  ])('%s.%s %s', (kind, group, name, causes, want) => {
    expect(invalidMessage(kind, group, name, causes)).toBe(want);
  });
});
