import { describe, expect, it } from 'vitest';
import {
  FieldSelectorError, escapeFieldValue, fieldSelectorFromSet, fieldSelectorMatches, fieldsOf, parseFieldSelector,
  requiresExactMatch, supportedFields, unsupportedField,
} from '../../../main/api/fields';
import type { KObject } from '../../../main/api/types';

describe('parseFieldSelector', () => {
  it.each([
    ['metadata.name=x', 'metadata.name=x'],
    ['metadata.name==x', 'metadata.name=x'],
    ['status.phase!=Failed', 'status.phase!=Failed'],
    ['spec.nodeName=n,status.phase!=Succeeded,status.phase!=Failed', 'spec.nodeName=n,status.phase!=Failed,status.phase!=Succeeded'],
    ['involvedObject.namespace=', 'involvedObject.namespace='],
    ['a=x\\,y', 'a=x\\,y'],
    ['a=x\\=y\\\\z', 'a=x\\=y\\\\z'],
    ['', ''],
    [',,', ''],
  ])('%j → %j', (s, want) => {
    expect(parseFieldSelector(s).toString()).toBe(want);
  });

  it('unescapes values', () => {
    expect(parseFieldSelector('a=x\\,y').terms).toEqual([{ field: 'a', op: '=', value: 'x,y' }]);
    expect(parseFieldSelector('a==b\\=').terms).toEqual([{ field: 'a', op: '=', value: 'b=' }]);
    expect(parseFieldSelector('a!=\\\\').terms).toEqual([{ field: 'a', op: '!=', value: '\\' }]);
  });

  it.each([
    ['abc', "invalid selector: 'abc'; can't understand 'abc'"],
    ['a=1,b', "invalid selector: 'a=1,b'; can't understand 'b'"],
    ['a=x\\y', 'invalid field selector: invalid escape sequence: \\y'],
    ['a=x\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('error for %j', (s, msg) => {
    let err: unknown;
    try { parseFieldSelector(s); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(FieldSelectorError);
    expect((err as Error).message).toBe(msg);
  });

  it('escapes', () => {
    expect(escapeFieldValue('a,b=c\\d')).toBe('a\\,b\\=c\\\\d');
    expect(fieldSelectorFromSet({ b: '1', a: 'x,y' }).toString()).toBe('a=x\\,y,b=1');
  });
});

describe('fieldSelectorMatches', () => {
  const f = { 'metadata.name': 'p', 'spec.nodeName': '', 'status.phase': 'Running' };
  it.each([
    ['metadata.name=p', true],
    ['metadata.name=q', false],
    ['metadata.name!=q', true],
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['status.phase!=Succeeded,status.phase!=Failed', true],
    ['status.phase!=Running', false],
    ['unknown=', true],
    ['', true],
  ])('%j → %s', (s, want) => {
    expect(fieldSelectorMatches(parseFieldSelector(s), f)).toBe(want);
  });
  it('requiresExactMatch', () => {
    expect(requiresExactMatch(parseFieldSelector('metadata.name=x,status.phase!=y'), 'metadata.name')).toBe('x');
    expect(requiresExactMatch(parseFieldSelector('metadata.name!=x'), 'metadata.name')).toBeUndefined();
  });
});

describe('fieldsOf', () => {
  it('pod', () => {
    const pod: KObject = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: true },
      status: { phase: 'Running', podIP: '10.244.1.2', nominatedNodeName: 'n2' },
    };
    expect(fieldsOf('Pod', pod)).toEqual({
      'metadata.name': 'p', 'metadata.namespace': 'ns', 'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'true',
      'status.phase': 'Running', 'status.podIP': '10.244.1.2', 'status.nominatedNodeName': 'n2',
    });
    expect(fieldsOf('Pod', { metadata: { name: 'q' } })['spec.hostNetwork']).toBe('false');
    expect(fieldsOf('Pod', { metadata: { name: 'q' } })['spec.nodeName']).toBe('');
  });
  it('event (kubectl describe node queries)', () => {
    const ev: KObject = {
      metadata: { name: 'n1.abc', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'n1', uid: 'n1', apiVersion: 'v1', resourceVersion: '5', fieldPath: '' },
      reason: 'NodeReady', reportingComponent: 'kubelet', source: { component: 'kubelet', host: 'n1' }, type: 'Normal',
    };
    const fields = fieldsOf('Event', ev);
    expect(fields).toMatchObject({
      'involvedObject.kind': 'Node', 'involvedObject.namespace': '', 'involvedObject.name': 'n1', 'involvedObject.uid': 'n1',
      'involvedObject.apiVersion': 'v1', 'involvedObject.resourceVersion': '5', 'involvedObject.fieldPath': '',
      reason: 'NodeReady', reportingComponent: 'kubelet', source: 'kubelet', type: 'Normal',
    });
    const sel = parseFieldSelector('involvedObject.name=n1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=n1');
    expect(fieldSelectorMatches(sel, fields)).toBe(true);
  });
  it.each([
    ['Node', { spec: { unschedulable: true } }, 'spec.unschedulable', 'true'],
    ['Node', {}, 'spec.unschedulable', 'false'],
    ['Secret', { type: 'Opaque' }, 'type', 'Opaque'],
    ['Namespace', { status: { phase: 'Active' } }, 'status.phase', 'Active'],
    ['ReplicaSet', { status: { replicas: 3 } }, 'status.replicas', '3'],
    ['ReplicaSet', {}, 'status.replicas', '0'],
    ['Machine', { spec: { provider: 'lima' } }, 'spec.provider', 'lima'],
    ['Machine', { status: { phase: 'Running' } }, 'status.phase', 'Running'],
    ['ConfigMap', { metadata: { name: 'c', namespace: 'x' } }, 'metadata.namespace', 'x'],
  ])('%s %j has %s=%j', (kind, obj, field, value) => {
    expect(fieldsOf(kind, obj as KObject)[field]).toBe(value);
  });
});

describe('unsupportedField', () => {
  it.each([
    ['Pod', 'spec.nodeName=x,status.phase=Running', undefined],
    ['Pod', 'metadata.name=x', undefined],
    ['Pod', 'spec.foo=x', 'spec.foo'],
    ['ConfigMap', 'metadata.namespace=x', undefined],
    ['ConfigMap', 'data.x=y', 'data.x'],
    ['Node', 'spec.unschedulable=false', undefined],
    ['Event', 'involvedObject.uid=u,reason=x,type=Warning,source=kubelet', undefined],
    ['Secret', 'type=Opaque', undefined],
    ['Deployment', 'status.replicas=1', 'status.replicas'],
  ])('%s %j → %j', (kind, s, want) => {
    expect(unsupportedField(kind, parseFieldSelector(s))).toBe(want);
  });
  it('lists supported fields', () => {
    expect(supportedFields('Namespace')).toEqual(['metadata.name', 'metadata.namespace', 'status.phase']);
  });
});
