import { describe, expect, it } from 'vitest';
import { FieldSet, field, keyed } from '../../../main/apiserver/patch/fieldpath';
import { decodeFieldsV1 } from '../../../main/apiserver/patch/fieldsv1-cache';

const f = field;
const base = (): FieldSet => FieldSet.of(
  [f('metadata'), f('labels'), f('app')],
  [f('spec'), f('containers'), keyed({ name: 'c' }), f('image')],
  [f('spec'), f('replicas')],
);

describe('field set operations keep an unchanged set', () => {
  it('difference and recursiveDifference return the set itself when nothing is removed, a new set otherwise', () => {
    const s = base();
    const disjoint = FieldSet.of([f('status'), f('phase')], [f('spec'), f('nodeName')]);
    expect(s.difference(disjoint)).toBe(s);
    expect(s.recursiveDifference(disjoint)).toBe(s);
    expect(s.difference(new FieldSet())).toBe(s);

    const d = s.difference(FieldSet.of([f('spec'), f('replicas')]));
    expect(d).not.toBe(s);
    expect(d.has([f('spec'), f('replicas')])).toBe(false);
    expect(d.has([f('spec'), f('containers'), keyed({ name: 'c' }), f('image')])).toBe(true);
    expect(s.has([f('spec'), f('replicas')])).toBe(true); // operands unchanged

    const r = s.recursiveDifference(FieldSet.of([f('spec')]));
    expect(r.toFieldsV1()).toEqual({ 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  });

  it('union returns the set itself when the other adds nothing, a new set otherwise', () => {
    const s = base();
    expect(s.union(FieldSet.of([f('spec'), f('replicas')]))).toBe(s);
    expect(s.union(new FieldSet())).toBe(s);
    const other = FieldSet.of([f('spec'), f('paused')]);
    expect(new FieldSet().union(other)).toBe(other);
    const u = s.union(other);
    expect(u).not.toBe(s);
    expect(u.has([f('spec'), f('paused')])).toBe(true);
    expect(s.has([f('spec'), f('paused')])).toBe(false);
  });

  it('toFieldsV1 hands out independent copies, and insert refreshes the encoding', () => {
    const s = base();
    const a = s.toFieldsV1();
    (a['f:spec'] as Record<string, unknown>)['f:replicas'] = 'changed';
    expect(s.toFieldsV1()).toEqual(base().toFieldsV1());
    s.insert([f('spec'), f('paused')]);
    expect(s.toFieldsV1()['f:spec']).toHaveProperty('f:paused');
  });

  it('decodes equal fieldsV1 texts to one set, and different texts to different sets', () => {
    const json = { 'f:spec': { 'f:replicas': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:x-fieldset-identity': {} } } };
    const one = decodeFieldsV1(json);
    expect(decodeFieldsV1(JSON.parse(JSON.stringify(json)))).toBe(one);
    expect(one.toFieldsV1()).toEqual(FieldSet.fromFieldsV1(json).toFieldsV1());
    const other = decodeFieldsV1({ 'f:spec': { 'f:paused': {} } });
    expect(other).not.toBe(one);
    expect(other.has([f('spec'), f('paused')])).toBe(true);
    expect(() => decodeFieldsV1({ 'f:a': 1 })).toThrow();
  });
});
