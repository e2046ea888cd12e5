import { describe, expect, it } from 'vitest';
import { perKind, perResource, resourceFor, storedResourceOfKind } from '../../../main/api/resources';

describe('perResource', () => {
  it('finds what is registered for a resource by group and plural, and nothing for the others', () => {
    const lookup = perResource([['', 'pods', 'core pods'], ['metrics.k8s.io', 'pods', 'pod metrics'], ['apps', 'deployments', 'deployments']]);
    expect(lookup(resourceFor('', 'v1', 'pods')!)).toBe('core pods');
    expect(lookup(resourceFor('metrics.k8s.io', 'v1beta1', 'pods')!)).toBe('pod metrics');
    expect(lookup({ group: 'apps', plural: 'deployments' })).toBe('deployments');
    expect(lookup(resourceFor('', 'v1', 'configmaps')!)).toBeUndefined();
  });

  it('refuses a row that names no served resource (a typo would otherwise be silently ignored)', () => {
    expect(() => perResource([['apps', 'deployment', 1]])).toThrow('no resource apps/deployment is served');
    expect(() => perResource([['', 'deployments', 1]])).toThrow('no resource /deployments is served');
  });
});

describe('perKind', () => {
  it('finds what is registered for a stored kind, and refuses kinds the table does not store', () => {
    const lookup = perKind({ Pod: 'pod rules', Machine: 'machine rules' });
    expect(lookup('Pod')).toBe('pod rules');
    expect(lookup('Machine')).toBe('machine rules');
    expect(lookup('ConfigMap')).toBeUndefined();
    expect(() => perKind({ Pods: 1 })).toThrow('no stored resource has kind Pods');
    expect(() => perKind({ PodMetrics: 1 })).toThrow('no stored resource has kind PodMetrics');
  });

  it('storedResourceOfKind skips the virtual (metrics) resources', () => {
    expect(storedResourceOfKind('Pod')).toMatchObject({ group: '', plural: 'pods', namespaced: true });
    expect(storedResourceOfKind('NodeMetrics')).toBeUndefined();
  });
});
