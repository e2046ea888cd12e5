// Nulls in the fields of a known kind are the Go zero value, i.e. unset: dropped as Kubernetes'
// decoding drops them; nulls where the schema has no field (free-form, map values, list items) stay.
import { describe, expect, it } from 'vitest';
import { dropNullFields } from '../../../main/api/schema/null-fields';

describe('dropNullFields', () => {
  it('drops null fields at every depth of a known kind, as the Go structs decode them', () => {
    const d = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: null },
      spec: {
        replicas: null,
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'a' } },
          spec: { containers: [{ name: 'c', image: 'i', resources: {}, command: null }], affinity: null },
        },
      },
    };
    dropNullFields('apps/v1', 'Deployment', d);
    expect(d).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } } },
    });
  });

  it('leaves map values, unknown fields and kinds without a schema alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null };
    dropNullFields('v1', 'ConfigMap', cm);
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null });
    const other = { apiVersion: 'example.com/v1', kind: 'Thing', spec: { x: null } };
    dropNullFields('example.com/v1', 'Thing', other);
    expect(other.spec).toEqual({ x: null });
  });
});
