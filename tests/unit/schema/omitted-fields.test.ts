// What Kubernetes' decode-encode round trip through its Go structs drops from an object of a known kind: nulls (the
// zero value, i.e. unset) and empty lists and maps of `omitempty` fields. Nulls where the schema has no field
// (free-form, map values, list items), empty lists and maps Go encodes anyway, and values of the wrong type stay.
import { describe, expect, it } from 'vitest';
import { dropOmittedFields, dropOmittedFieldsOf } from '../../../main/api/schema/omitted-fields';

describe('dropOmittedFields', () => {
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
    dropOmittedFields('apps/v1', 'Deployment', d);
    expect(d).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } } },
    });
  });

  it('leaves map values, unknown fields and kinds without a schema alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null };
    dropOmittedFields('v1', 'ConfigMap', cm);
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null });
    const other = { apiVersion: 'example.com/v1', kind: 'Thing', spec: { x: null, y: [], z: {} } };
    dropOmittedFields('example.com/v1', 'Thing', other);
    expect(other.spec).toEqual({ x: null, y: [], z: {} });
  });

  it('drops empty lists and maps of omitempty fields at every depth, and keeps empty structs', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: {}, annotations: {}, finalizers: [] },
      spec: {
        containers: [{ name: 'c', image: 'i', env: [], args: [], ports: [], resources: { limits: {} }, securityContext: {} }],
        tolerations: [], volumes: [], nodeSelector: {},
      },
    };
    dropOmittedFields('v1', 'Pod', pod);
    expect(pod).toEqual({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', resources: {}, securityContext: {} }] },
    });
  });

  it('keeps the empty lists Go encodes without omitempty', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    dropOmittedFields('v1', 'Pod', pod);
    expect(pod.spec).toEqual({ containers: [] });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ verbs: [], apiGroups: [] }] };
    dropOmittedFields('rbac.authorization.k8s.io/v1', 'ClusterRole', role);
    expect(role.rules).toEqual([{ verbs: [] }]);
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [], ports: [] };
    dropOmittedFields('discovery.k8s.io/v1', 'EndpointSlice', slice);
    expect(slice).toMatchObject({ endpoints: [], ports: [] });
  });

  it('leaves a value of the wrong type for validation to report', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: [] }, spec: { containers: [{ name: 'c', env: {} }] } };
    dropOmittedFields('v1', 'Pod', pod);
    expect(pod.metadata.labels).toEqual([]);
    expect(pod.spec.containers[0].env).toEqual({});
  });

  it('does the same to the metadata of a custom object', () => {
    const meta = { name: 'x', labels: {}, annotations: { a: '1' }, ownerReferences: [], generateName: null };
    dropOmittedFieldsOf('V1ObjectMeta', meta);
    expect(meta).toEqual({ name: 'x', annotations: { a: '1' } });
  });
});
