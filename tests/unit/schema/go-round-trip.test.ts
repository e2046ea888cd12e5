// What Kubernetes' decode-encode round trip through its Go structs drops from an object of a known kind: nulls (the
// zero value, i.e. unset) and empty lists and maps of `omitempty` fields. Nulls where the schema has no field
// (free-form, map values, list items), empty lists and maps Go encodes anyway, and values of the wrong type stay.
import { describe, expect, it } from 'vitest';
import { canonicalStatusQuantities, roundTripAsGo, roundTripAsGoOf } from '../../../main/api/schema/go-round-trip';

describe('roundTripAsGo', () => {
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
    roundTripAsGo('apps/v1', 'Deployment', d);
    expect(d).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } } },
      status: {},
    });
  });

  it('gives an object without a status the zero struct Go always encodes, and leaves a status that is there', () => {
    const rs: Record<string, unknown> = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: {} } };
    roundTripAsGo('apps/v1', 'ReplicaSet', rs);
    expect(rs.status).toEqual({ replicas: 0 }); // ReplicaSetStatus.Replicas has no omitempty
    const svc: Record<string, unknown> = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: {}, status: null };
    roundTripAsGo('v1', 'Service', svc);
    expect(svc.status).toEqual({ loadBalancer: {} });
    const pdb: Record<string, unknown> = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: {} };
    roundTripAsGo('policy/v1', 'PodDisruptionBudget', pdb);
    expect(pdb.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    const other: Record<string, unknown> = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r2' }, spec: { selector: {} } };
    roundTripAsGo('apps/v1', 'ReplicaSet', other);
    (other.status as { replicas: number }).replicas = 3;
    expect(rs.status).toEqual({ replicas: 0 }); // each object its own zero
    const running = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: {}, status: { replicas: 2 } };
    roundTripAsGo('apps/v1', 'Deployment', running);
    expect(running.status).toEqual({ replicas: 2 });
    const cm: Record<string, unknown> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    roundTripAsGo('v1', 'ConfigMap', cm);
    expect(cm).not.toHaveProperty('status'); // no status in its Go struct
    // A status write without one (or with null) stores the zero status, as Go decodes it.
    const written: Record<string, unknown> = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: {}, status: null };
    canonicalStatusQuantities('apps/v1', 'StatefulSet', written);
    expect(written.status).toEqual({ replicas: 0, availableReplicas: 0 });
  });

  it('leaves map values, unknown fields and kinds without a schema alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null };
    roundTripAsGo('v1', 'ConfigMap', cm);
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: null } }, data: { k: null }, extra: null });
    const other = { apiVersion: 'example.com/v1', kind: 'Thing', spec: { x: null, y: [], z: {} } };
    roundTripAsGo('example.com/v1', 'Thing', other);
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
    roundTripAsGo('v1', 'Pod', pod);
    expect(pod).toEqual({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', resources: {}, securityContext: {} }] },
      status: {},
    });
  });

  it('drops the zero of an omitempty scalar, keeps a pointer\'s zero and a zero without omitempty, on writes and status writes', () => {
    const d: Record<string, unknown> = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generateName: '' },
      spec: { replicas: 0, paused: false, minReadySeconds: 0, template: { spec: { hostNetwork: false, containers: [{ name: 'c', image: 'i', stdin: false, tty: true }] } } },
      status: { replicas: 0, unavailableReplicas: 0, availableReplicas: 2 },
    };
    roundTripAsGo('apps/v1', 'Deployment', d);
    expect(d).toEqual({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { replicas: 0, template: { spec: { containers: [{ name: 'c', image: 'i', tty: true }] } } }, // replicas: a pointer
      status: { availableReplicas: 2 },
    });
    // A value of another type stays for validation to report.
    const wrong = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'w' }, spec: { paused: 0, minReadySeconds: '' } };
    roundTripAsGo('apps/v1', 'Deployment', wrong);
    expect(wrong.spec).toEqual({ paused: 0, minReadySeconds: '' });
    // A status write: zero counts go where omitempty has them (a ReplicaSet's `replicas` has none), nulls stay.
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, status: { replicas: 0, readyReplicas: 0, availableReplicas: 1, conditions: null } };
    canonicalStatusQuantities('apps/v1', 'ReplicaSet', rs);
    expect(rs.status).toEqual({ replicas: 0, availableReplicas: 1, conditions: null });
    // A Job's ready and terminating are pointers: their 0 is kept, active's is not.
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { active: 0, ready: 0, terminating: 0, succeeded: 1 } };
    canonicalStatusQuantities('batch/v1', 'Job', job);
    expect(job.status).toEqual({ ready: 0, terminating: 0, succeeded: 1 });
  });

  it('keeps the empty lists Go encodes without omitempty', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } };
    roundTripAsGo('v1', 'Pod', pod);
    expect(pod.spec).toEqual({ containers: [] });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ verbs: [], apiGroups: [] }] };
    roundTripAsGo('rbac.authorization.k8s.io/v1', 'ClusterRole', role);
    expect(role.rules).toEqual([{ verbs: [] }]);
    const slice = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [], ports: [] };
    roundTripAsGo('discovery.k8s.io/v1', 'EndpointSlice', slice);
    expect(slice).toMatchObject({ endpoints: [], ports: [] });
  });

  it('leaves a value of the wrong type for validation to report', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: [] }, spec: { containers: [{ name: 'c', env: {} }] } };
    roundTripAsGo('v1', 'Pod', pod);
    expect(pod.metadata.labels).toEqual([]);
    expect(pod.spec.containers[0].env).toEqual({});
  });

  it('does the same to the metadata of a custom object', () => {
    const meta = { name: 'x', labels: {}, annotations: { a: '1' }, ownerReferences: [], generateName: null };
    roundTripAsGoOf('V1ObjectMeta', meta);
    expect(meta).toEqual({ name: 'x', annotations: { a: '1' } });
  });

  it('writes quantities in canonical form wherever the Go types have one: ResourceLists, fields, status, numbers', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { size: '1000m' } },
      spec: {
        containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: 1.5, memory: '2048Mi', 'example.com/dev': 1 } } }],
        volumes: [{ name: 'v', emptyDir: { sizeLimit: '0.5Gi' } }],
        overhead: { cpu: '0.25' },
      },
    };
    roundTripAsGo('v1', 'Pod', pod);
    expect(pod.spec.containers[0].resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1500m', memory: '2Gi', 'example.com/dev': '1' } });
    expect(pod.spec.volumes[0].emptyDir.sizeLimit).toBe('512Mi');
    expect(pod.spec.overhead.cpu).toBe('250m');
    expect(pod.metadata.annotations.size).toBe('1000m'); // a string map, not quantities
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '2', memory: '16777216Ki', pods: '110' }, allocatable: { memory: '1073741824' } } };
    roundTripAsGo('v1', 'Node', node);
    expect(node.status).toEqual({ capacity: { cpu: '2', memory: '16Gi', pods: '110' }, allocatable: { memory: '1073741824' } });
    const limits = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '0.5Gi' }, max: { cpu: '2000m' } }] } };
    roundTripAsGo('v1', 'LimitRange', limits);
    expect(limits.spec.limits[0]).toEqual({ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, max: { cpu: '2' } });
  });

  it('leaves a quantity that does not parse for validation to report', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1MM', memory: true } } }] } };
    roundTripAsGo('v1', 'Pod', pod);
    expect(pod.spec.containers[0].resources.requests).toEqual({ cpu: '1MM', memory: true });
  });

  it('for a status write, writes the quantities in canonical form and leaves the rest', () => {
    // The rest of a status write is the stored object's, which went through the round trip when it was written.
    const spec = { resources: { requests: { storage: '1024Mi' } } };
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', labels: {} }, spec, status: { phase: 'Bound', capacity: { storage: '1024Mi' }, conditions: [], accessModes: null } };
    canonicalStatusQuantities('v1', 'PersistentVolumeClaim', claim);
    expect(claim).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', labels: {} }, spec, status: { phase: 'Bound', capacity: { storage: '1Gi' }, conditions: [], accessModes: null } });
    expect(spec.resources.requests.storage).toBe('1024Mi');
  });
});
