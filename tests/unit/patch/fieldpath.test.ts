import { describe, expect, it } from 'vitest';
import { FieldSet, field, keyed, pathToString, valueElement, parsePathElement } from '../../../main/apiserver/patch/fieldpath';
import { toFieldSet } from '../../../main/apiserver/patch/typed-fields';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';
import { PatchError } from '../../../main/apiserver/patch/errors';

const f = field;

describe('field sets', () => {
  it('encodes fieldsV1 like Kubernetes and decodes it back', () => {
    const json = {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    };
    const set = FieldSet.fromFieldsV1(json);
    expect(set.has([f('metadata'), f('labels'), f('app')])).toBe(true);
    expect(set.has([f('spec'), f('containers'), keyed({ name: 'nginx' })])).toBe(true);
    expect(set.has([f('spec'), f('containers')])).toBe(false);
    expect(set.toFieldsV1()).toEqual(json);
    expect(JSON.stringify(set.toFieldsV1())).toBe(JSON.stringify(json));
  });

  it('sorts keys fields before values before indexes and serializes multi-field keys sorted', () => {
    const set = FieldSet.of(
      [f('x'), valueElement('b')], [f('x'), valueElement('a')], [f('x'), valueElement(3)],
      [f('p'), keyed({ protocol: 'TCP', containerPort: 80 })], [f('b')], [f('a')],
    );
    expect(JSON.stringify(set.toFieldsV1())).toBe(
      '{"f:a":{},"f:b":{},"f:p":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{}},"f:x":{"v:3":{},"v:\\"a\\"":{},"v:\\"b\\"":{}}}',
    );
  });

  it('supports union, intersection, difference and recursive difference', () => {
    const a = FieldSet.of([f('spec'), f('replicas')], [f('spec'), f('paused')], [f('metadata'), f('labels'), f('x')]);
    const b = FieldSet.of([f('spec'), f('replicas')], [f('status')]);
    expect(a.intersection(b).paths().map(pathToString)).toEqual(['.spec.replicas']);
    expect(a.difference(b).paths().map(pathToString)).toEqual(['.metadata.labels.x', '.spec.paused']);
    expect(a.union(b).paths().map(pathToString)).toEqual(['.metadata.labels.x', '.spec.paused', '.spec.replicas', '.status']);
    expect(a.difference(FieldSet.of([f('spec')])).paths()).toHaveLength(3);
    expect(a.recursiveDifference(FieldSet.of([f('spec')])).paths().map(pathToString)).toEqual(['.metadata.labels.x']);
    expect(a.difference(a).isEmpty()).toBe(true);
  });

  it('prints paths as conflict messages do', () => {
    expect(pathToString([f('spec'), f('containers'), keyed({ name: 'nginx' }), f('image')])).toBe('.spec.containers[name="nginx"].image');
    expect(pathToString([f('spec'), f('ports'), keyed({ port: 80, protocol: 'TCP' })])).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(pathToString([f('metadata'), f('finalizers'), valueElement('x')])).toBe('.metadata.finalizers[="x"]');
  });

  it('rejects malformed path elements and skips unknown kinds', () => {
    expect(() => FieldSet.fromFieldsV1({ 'x': {} })).toThrow(PatchError);
    expect(() => FieldSet.fromFieldsV1({ 'k:notjson': {} })).toThrow(PatchError);
    expect(parsePathElement('z:whatever')).toBeUndefined();
    expect(FieldSet.fromFieldsV1({ 'z:1': {}, 'f:a': {} }).toFieldsV1()).toEqual({ 'f:a': {} });
  });
});

describe('field set of an applied object', () => {
  it('owns leaves, keyed items, label keys; ports keyed by containerPort and defaulted protocol', () => {
    const deploy = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    };
    expect(toFieldSet(deploy, patchMetaFor('apps/v1', 'Deployment')).toFieldsV1()).toEqual({
      'f:apiVersion': {}, 'f:kind': {},
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {} },
      'f:spec': {
        'f:replicas': {}, 'f:selector': {},
        'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': {
          '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
        } } } },
      },
    });
  });

  it('owns finalizers as a set and unknown kinds key by key', () => {
    expect(toFieldSet({ metadata: { finalizers: ['a'] } }, patchMetaFor('v1', 'Pod')).toFieldsV1()).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"a"': {} } } });
    expect(toFieldSet({ spec: { a: { b: 1 }, l: [1] } }, patchMetaFor('x/v1', 'Thing')).toFieldsV1())
      .toEqual({ 'f:spec': { '.': {}, 'f:a': { '.': {}, 'f:b': {} }, 'f:l': {} } });
  });
});
