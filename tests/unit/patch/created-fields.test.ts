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
  it('are shared by objects differing only in untracked metadata, and differ otherwise', () => {
    const compute = (): FieldSet => FieldSet.of([field('x')]);
    const a = createdFields(pod('a', { app: 'created-fields-1' }), meta, undefined, compute);
    expect(createdFields(pod('b', { app: 'created-fields-1' }), meta, undefined, () => FieldSet.of([field('y')]))).toBe(a);
    expect(createdFields(pod('b', { app: 'created-fields-2' }), meta, undefined, () => FieldSet.of([field('y')]))).not.toBe(a);
    expect(createdFields(pod('a', { app: 'created-fields-1' }), meta, 'status', () => FieldSet.of([field('z')]))).not.toBe(a);
    expect(createdFields(pod('a', { app: 'created-fields-1' }), patchMetaFor('apps/v1', 'Deployment'), undefined, () => FieldSet.of([field('z')]))).not.toBe(a);
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
