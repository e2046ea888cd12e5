import { describe, expect, it } from 'vitest';
import { RESOURCES, resourceFor } from '../../../main/api/resources';
import type { KObject } from '../../../main/api/types';
import { buildTable } from '../../../main/apiserver/tables';
import { NOW, ago, resource } from './fixtures';

const cm = (name: string): KObject => ({
  apiVersion: 'v1', kind: 'ConfigMap',
  metadata: { name, namespace: 'default', labels: { app: 'x' }, uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: ago(60_000) },
  data: { a: '1' },
});

describe('buildTable', () => {
  it('is a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default', () => {
    const t = buildTable(resource('', 'configmaps'), [cm('a'), cm('b')], { now: NOW, resourceVersion: '1012' });
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.metadata).toEqual({ resourceVersion: '1012' });
    expect(t.columnDefinitions?.[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name', priority: 0 });
    expect(t.columnDefinitions?.every((c) => typeof c.description === 'string' && c.description.length > 0)).toBe(true);
    expect(t.rows.map((r) => r.cells)).toEqual([['a', 1, '60s'], ['b', 1, '60s']]);
    expect(t.rows[0].object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm('a').metadata });
  });

  it('includeObject=Object embeds the object, None leaves it out', () => {
    const obj = cm('a');
    expect(buildTable(resource('', 'configmaps'), [obj], { now: NOW, includeObject: 'Object' }).rows[0].object).toEqual(obj);
    expect(buildTable(resource('', 'configmaps'), [obj], { now: NOW, includeObject: 'None' }).rows[0]).not.toHaveProperty('object');
  });

  it('continue token, omitted column definitions (watch events) and empty lists', () => {
    const t = buildTable(resource('', 'configmaps'), [], { now: NOW, continueToken: 'abc', omitColumnDefinitions: true });
    expect(t.metadata).toEqual({ continue: 'abc' });
    expect(t.columnDefinitions).toBeNull();
    expect(t.rows).toEqual([]);
    expect(JSON.parse(JSON.stringify(t))).toEqual({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { continue: 'abc' }, columnDefinitions: null, rows: [] });
  });

  it('column definitions go out in the field order of the Kubernetes apiserver, with format and priority always set', () => {
    for (const r of RESOURCES) {
      for (const c of buildTable(r, [], { now: NOW }).columnDefinitions ?? []) {
        expect(Object.keys(c), `${r.group}/${r.plural} ${c.name}`).toEqual(['name', 'type', 'format', 'description', 'priority']);
        expect(['', 'name']).toContain(c.format);
        expect([0, 1]).toContain(c.priority);
      }
    }
  });

  it('anything else gets NAME AGE', () => {
    const r = resourceFor('metrics.k8s.io', 'v1beta1', 'nodes');
    if (!r) throw new Error('metrics resource missing');
    const t = buildTable(r, [{ metadata: { name: 'node-1', creationTimestamp: ago(3_000) } }], { now: NOW });
    expect(t.columnDefinitions?.map((c) => c.name)).toEqual(['Name', 'Age']);
    expect(t.rows[0].cells).toEqual(['node-1', '3s']);
  });

  it('pods that finished carry a Completed row condition', () => {
    const t = buildTable(resource('', 'pods'), [
      { metadata: { name: 'job-1' }, spec: { containers: [] }, status: { phase: 'Succeeded' } },
      { metadata: { name: 'web' }, spec: { containers: [] }, status: { phase: 'Running' } },
    ], { now: NOW });
    expect(t.rows[0].conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    expect(t.rows[1]).not.toHaveProperty('conditions');
  });
});
