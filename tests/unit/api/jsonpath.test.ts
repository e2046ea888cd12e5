// client-go JSONPath as printer columns use it: fields, indexes, slices, wildcards, recursive descent,
// filters, and missing keys as no result; bad paths throw.
import { describe, expect, it } from 'vitest';
import { evaluate, JsonPathError, parsePath } from '../../../main/api/jsonpath';

const obj = {
  metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web', tier: 'front' } },
  spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }, { port: 8080 }] },
  status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True' }], observed: 2 },
};
const find = (p: string) => evaluate(parsePath(p), obj);

describe('jsonpath', () => {
  it('finds fields, quoted keys, indexes, slices and wildcards', () => {
    expect(find('.spec.replicas')).toEqual([3]);
    expect(find(".metadata.labels['app.kubernetes.io/name']")).toEqual(['web']);
    expect(find('.spec.ports[1].port')).toEqual([443]);
    expect(find('.spec.ports[-1].port')).toEqual([8080]);
    expect(find('.spec.ports[0:2].port')).toEqual([80, 443]);
    expect(find('.spec.ports[*].port')).toEqual([80, 443, 8080]);
    expect(find('.metadata.labels.*')).toEqual(['web', 'front']);
    expect(find('..port')).toEqual([80, 443, 8080]);
  });

  it('filters by comparison or existence', () => {
    expect(find('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(find(".status.conditions[?(@.type!='Ready')].type")).toEqual(['Synced']);
    expect(find('.spec.ports[?(@.port>100)].port')).toEqual([443, 8080]);
    expect(find('.spec.ports[?(@.port)].port')).toHaveLength(3);
  });

  it('finds nothing for missing keys, out-of-range indexes and fields of non-objects', () => {
    expect(find('.spec.missing')).toEqual([]);
    expect(find('.spec.ports[7].port')).toEqual([]);
    expect(find('.spec.replicas.x')).toEqual([]);
    expect(find('.status.conditions[?(@.type=="Gone")].status')).toEqual([]);
  });

  it('refuses what it cannot parse', () => {
    expect(() => parsePath('.spec.ports[')).toThrow(JsonPathError);
    expect(() => parsePath('.spec.ports[a-b]')).toThrow('unrecognized array index "a-b"');
    expect(() => parsePath('.a[?(@.x == $y)]')).toThrow('unrecognized operand "$y"');
  });
});
