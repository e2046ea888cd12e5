import { describe, expect, it } from 'vitest';
import { mergeTyped, removeItems } from '../../../main/apiserver/patch/typed-merge';
import { compare } from '../../../main/apiserver/patch/typed-fields';
import { FieldSet, field, keyed } from '../../../main/apiserver/patch/fieldpath';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';
import { serverSideApply } from '../../../main/apiserver/patch/apply';
import { PatchError } from '../../../main/apiserver/patch/errors';

const pod = patchMetaFor('v1', 'Pod');
const names = (v: unknown): string[] => ((v as { spec: { containers: Array<{ name: string }> } }).spec.containers).map((c) => c.name);
const pods = (...n: string[]): { spec: { containers: Array<{ name: string; image?: string }> } } => ({ spec: { containers: n.map((name) => ({ name })) } });

describe('typed merge (server-side apply)', () => {
  it('orders shared items as applied and keeps live-only items in place', () => {
    expect(names(mergeTyped(pods('a', 'b', 'c'), pods('c', 'a'), pod))).toEqual(['b', 'c', 'a']);
    expect(names(mergeTyped(pods('a', 'b'), pods('c'), pod))).toEqual(['a', 'b', 'c']);
  });

  it('merges items by key, leaves win from the config, atomic lists are replaced', () => {
    const live = { spec: { containers: [{ name: 'a', image: 'old', args: ['1', '2'], imagePullPolicy: 'Always' }] } };
    const out = mergeTyped(live, { spec: { containers: [{ name: 'a', image: 'new', args: ['3'] }] } }, pod);
    expect(out).toEqual({ spec: { containers: [{ name: 'a', image: 'new', args: ['3'], imagePullPolicy: 'Always' }] } });
  });

  it('keeps live items with duplicated keys unless the config names the key', () => {
    const live = { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '1' }, { name: 'X', value: '2' }, { name: 'Y', value: 'y' }] }] } };
    const kept = mergeTyped(live, { spec: { containers: [{ name: 'c', env: [{ name: 'Y', value: 'z' }] }] } }, pod);
    expect(kept).toEqual({ spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '1' }, { name: 'X', value: '2' }, { name: 'Y', value: 'z' }] }] } });
    const replaced = mergeTyped(live, { spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '3' }] }] } }, pod);
    expect(replaced).toEqual({ spec: { containers: [{ name: 'c', env: [{ name: 'X', value: '3' }, { name: 'Y', value: 'y' }] }] } });
  });

  it('removes members of a set, dropping maps and lists left empty', () => {
    const obj = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
    const set = FieldSet.of([field('metadata'), field('labels'), field('a')], [field('spec'), field('containers'), keyed({ name: 'a' })]);
    expect(removeItems(obj, set, pod)).toEqual({ spec: { containers: [{ name: 'b' }] } });
  });

  it('compares by key: added items, modified leaves, removed fields', () => {
    const c = compare({ spec: { containers: [{ name: 'a', image: 'x', tty: true }] } }, { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b' }] } }, pod);
    expect(c.added.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { '.': {}, 'f:name': {} } } } });
    expect(c.modified.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:image': {} } } } });
    expect(c.removed.toFieldsV1()).toEqual({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:tty': {} } } } });
  });
});

describe('applied configuration checks', () => {
  const base = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' } };
  const apply = (spec: unknown): unknown => serverSideApply({ live: undefined, applied: { ...base, spec }, manager: 'm', force: false, now: 't', meta: pod });

  it('rejects items without their key and duplicate keys, as Kubernetes types them', () => {
    expect(() => apply({ containers: [{ image: 'x' }] }))
      .toThrow('failed to create typed patch object (v1, Kind=Pod default/p): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)');
    expect(() => apply({ containers: [{ name: 'a' }, { name: 'a' }] })).toThrow(PatchError);
    expect(() => apply({ containers: [{ name: 'a' }, { name: 'a' }] })).toThrow('.spec.containers: duplicate entries for key [name="a"]');
  });

  it('accepts ports without protocol (defaulted to TCP in the key)', () => {
    expect(apply({ containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }] }] })).toHaveProperty('object');
    expect(() => apply({ containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }] })).toThrow('duplicate entries');
  });
});
