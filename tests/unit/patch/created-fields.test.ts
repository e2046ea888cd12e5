import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../main/api/types';
import { recordUpdate } from '../../../main/apiserver/patch/apply';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';
import { createdFields } from '../../../main/apiserver/patch/created-fields';
import { FieldSet, field } from '../../../main/apiserver/patch/fieldpath';

const meta = patchMetaFor('v1', 'Pod');
const T0 = '2026-11-26T10:00:00Z';

function pod(name: string, labels: Record<string, string>, image = 'pause'): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, generateName: 'web-', namespace: 'default', uid: `uid-${name}`, creationTimestamp: T0, labels },
    spec: { containers: [{ name: 'c', image }] },
  };
}

const fieldsOf = (o: KObject): unknown => o.metadata?.managedFields?.map((e) => e.fieldsV1);

describe('fields of created objects', () => {
  it('are shared by objects differing only in untracked metadata or values, and differ otherwise', () => {
    const compute = (): FieldSet => FieldSet.of([field('x')]);
    // (Label keys of this test's own: the fake sets are remembered by shape, and a label's key is part of the shape.)
    const a = createdFields(pod('a', { 'created-fields-1': 'x' }), meta, undefined, compute);
    expect(createdFields(pod('b', { 'created-fields-1': 'x' }), meta, undefined, () => FieldSet.of([field('y')]))).toBe(a);
    expect(createdFields(pod('b', { 'created-fields-1': 'y' }), meta, undefined, () => FieldSet.of([field('y')]))).toBe(a); // a label's value is no field
    expect(createdFields(pod('b', { 'created-fields-2': 'x' }), meta, undefined, () => FieldSet.of([field('y')]))).not.toBe(a);
    expect(createdFields(pod('a', { 'created-fields-1': 'x' }), meta, 'status', () => FieldSet.of([field('z')]))).not.toBe(a);
    expect(createdFields(pod('a', { 'created-fields-1': 'x' }), patchMetaFor('apps/v1', 'Deployment'), undefined, () => FieldSet.of([field('z')]))).not.toBe(a);
  });

  it('record the same managed fields for objects of one template (as computed before the cache)', () => {
    const first = recordUpdate({ old: undefined, updated: pod('p1', { app: 'created-fields-3' }), manager: 'm', operation: 'Update', now: T0, meta });
    const second = recordUpdate({ old: undefined, updated: pod('p2', { app: 'created-fields-3' }), manager: 'm', operation: 'Update', now: T0, meta });
    const other = recordUpdate({ old: undefined, updated: pod('p3', { app: 'created-fields-3' }, 'nginx'), manager: 'm', operation: 'Update', now: T0, meta });
    expect(fieldsOf(second)).toEqual(fieldsOf(first));
    expect(fieldsOf(other)).toEqual(fieldsOf(first)); // an image's value is not a field
    const labelled = recordUpdate({ old: undefined, updated: pod('p4', { app: 'created-fields-3', tier: 'x' }), manager: 'm', operation: 'Update', now: T0, meta });
    expect(JSON.stringify(fieldsOf(labelled))).toContain('"f:tier"');
    expect(JSON.stringify(fieldsOf(first))).not.toContain('"f:tier"');
    expect(fieldsOf(first)).toEqual([{
      'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { '.': {}, 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    }]);
  });
});

describe('fields of created objects by shape', () => {
  const event = (name: string, message: string, count: number, items: string[] = ['a']): KObject => ({
    apiVersion: 'v1', kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', name: `pod-${name}`, namespace: 'default' },
    reason: 'Scheduled', message, count, type: 'Normal', series: undefined, related: null,
    spec: { list: items },
  });
  const evMeta = patchMetaFor('v1', 'Event');

  it('are shared by objects differing only in values outside lists, and differ when a list item, a null or a field differs', () => {
    const a = createdFields(event('e1', 'assigned p1 to n1', 1), evMeta, undefined, () => FieldSet.of([field('shape-a')]));
    const other = (): FieldSet => FieldSet.of([field('other')]);
    expect(createdFields(event('e2', 'assigned p2 to n7', 3), evMeta, undefined, other)).toBe(a);
    expect(createdFields(event('e3', 'x', 1, ['b']), evMeta, undefined, other)).not.toBe(a);
    const withNull: KObject = { ...event('e4', 'x', 1), message: null };
    expect(createdFields(withNull, evMeta, undefined, other)).not.toBe(a);
    const extraField = { ...event('e5', 'x', 1), note: 'n' } as unknown as KObject;
    expect(createdFields(extraField, evMeta, undefined, other)).not.toBe(a);
    expect(createdFields(event('e6', 'y', 2), evMeta, 'status', other)).not.toBe(a);
  });

  it('record, through the shape cache, what computing them records', () => {
    const mk = (name: string, message: string): KObject => ({
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
      involvedObject: { kind: 'Pod', name, namespace: 'default', uid: `u-${name}` }, reason: 'Pulled', message: `${message} shape-test`, type: 'Normal',
    });
    const first = recordUpdate({ old: undefined, updated: mk('s1', 'one'), manager: 'm', operation: 'Update', now: T0, meta: patchMetaFor('v1', 'Event') });
    const second = recordUpdate({ old: undefined, updated: mk('s2', 'a different message'), manager: 'm', operation: 'Update', now: T0, meta: patchMetaFor('v1', 'Event') });
    expect(fieldsOf(second)).toEqual(fieldsOf(first));
    expect(fieldsOf(first)).toEqual([{
      'f:involvedObject': {}, 'f:message': {}, 'f:reason': {}, 'f:type': {},
    }]);
  });
});
