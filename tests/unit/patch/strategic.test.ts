import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../../main/apiserver/patch/strategic';
import { patchMetaFor } from '../../../main/apiserver/patch/patchmeta';
import { PatchError } from '../../../main/apiserver/patch/errors';

const deployMeta = patchMetaFor('apps/v1', 'Deployment');
const podMeta = patchMetaFor('v1', 'Pod');

function deployment(containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } }, ...extra },
  };
}

describe('strategic merge patch', () => {
  it('applies the patch kubectl apply sends for a changed image and replica count', () => {
    const live = deployment([{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'side', image: 'busybox' }]);
    const before = JSON.parse(JSON.stringify(live)) as Record<string, unknown>;
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}\n' } },
      spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'side' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] } } },
    };
    const out = applyStrategicMergePatch(live, patch, deployMeta) as ReturnType<typeof deployment>;
    expect(out).toEqual({
      ...live,
      metadata: { ...live.metadata as object, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":1}\n' } },
      spec: { ...live.spec as object, replicas: 3, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [
        { name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] }, { name: 'side', image: 'busybox' },
      ] } } },
    });
    expect(live).toEqual(before);
  });

  it('removes a field of a keyed item with null', () => {
    const live = deployment([{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }]);
    const out = applyStrategicMergePatch(live, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'nginx', ports: null }] } } } }, deployMeta);
    expect(out).toMatchObject({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } } });
    expect(JSON.stringify(out)).not.toContain('ports');
  });

  it('deletes an env entry with $patch: delete and merges others by name', () => {
    const live = { spec: { containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }] } };
    const out = applyStrategicMergePatch(live, { spec: { containers: [{ name: 'app', env: [{ name: 'B', $patch: 'delete' }, { name: 'C', value: 'x' }] }] } }, podMeta);
    expect(out).toEqual({ spec: { containers: [{ name: 'app', env: [{ name: 'A', value: '1' }, { name: 'C', value: 'x' }] }] } });
  });

  it('puts new keyed items first without $setElementOrder, as Kubernetes does', () => {
    const live = { spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } };
    const out = applyStrategicMergePatch(live, { spec: { containers: [{ name: 'c', image: 'c' }] } }, podMeta);
    expect(out).toEqual({ spec: { containers: [{ name: 'c', image: 'c' }, { name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } });
  });

  it('orders by $setElementOrder; a server-only item stays ahead of the live item it preceded', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'server' }, { name: 'b' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'new' }], containers: [{ name: 'new', image: 'n' }] } };
    const out = applyStrategicMergePatch(live, patch, podMeta) as { spec: { containers: Array<{ name: string }> } };
    expect(out.spec.containers.map((c) => c.name)).toEqual(['server', 'b', 'a', 'new']);
  });

  it('orders like Kubernetes when kubectl apply deletes one container and adds another', () => {
    const live = { spec: { containers: [{ name: 'c1' }, { name: 'c2', image: 'b' }, { name: 'c4', image: 'c' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c3' }], containers: [{ name: 'c3' }, { name: 'c1', $patch: 'delete' }] } };
    const out = applyStrategicMergePatch(live, patch, podMeta);
    expect(out).toEqual({ spec: { containers: [{ name: 'c2', image: 'b' }, { name: 'c4', image: 'c' }, { name: 'c3' }] } });
  });

  it('switches RollingUpdate to Recreate with $retainKeys', () => {
    const live = deployment([{ name: 'nginx' }], { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    const out = applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } }, deployMeta);
    expect((out as { spec: { strategy: unknown } }).spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('rejects a patch field missing from $retainKeys', () => {
    const live = deployment([], { strategy: { type: 'RollingUpdate' } });
    expect(() => applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } } } }, deployMeta))
      .toThrow('invalid patch format of retainKeys');
    let err: unknown;
    try { applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: 'type' } } }, deployMeta); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PatchError);
    expect((err as PatchError).code).toBe(400);
  });

  it('unions primitive merge lists and deletes with $deleteFromPrimitiveList', () => {
    const live = { metadata: { name: 'p', finalizers: ['a', 'b'] } };
    expect(applyStrategicMergePatch(live, { metadata: { finalizers: ['b', 'c'] } }, podMeta)).toEqual({ metadata: { name: 'p', finalizers: ['a', 'b', 'c'] } });
    expect(applyStrategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, podMeta)).toEqual({ metadata: { name: 'p', finalizers: ['b'] } });
    expect(applyStrategicMergePatch(live, { metadata: { '$setElementOrder/finalizers': ['b', 'c'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, podMeta))
      .toEqual({ metadata: { name: 'p', finalizers: ['b', 'c'] } });
  });

  it('replaces atomic lists (args, tolerations) and lists marked $patch: replace', () => {
    const live = { spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'x', args: ['1', '2'] }, { name: 'y' }] } };
    const out = applyStrategicMergePatch(live, { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'x', args: ['3'] }] } }, podMeta);
    expect(out).toEqual({ spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'x', args: ['3'] }, { name: 'y' }] } });
    const replaced = applyStrategicMergePatch(live, { spec: { containers: [{ name: 'z' }, { $patch: 'replace' }] } }, podMeta);
    expect(replaced).toEqual({ spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'z' }] } });
  });

  it('replaces a map with $patch: replace and empties it with $patch: delete', () => {
    const live = { metadata: { labels: { a: '1', b: '2' } } };
    expect(applyStrategicMergePatch(live, { metadata: { labels: { c: '3', $patch: 'replace' } } }, podMeta)).toEqual({ metadata: { labels: { c: '3' } } });
    expect(applyStrategicMergePatch(live, { metadata: { labels: { $patch: 'delete' } } }, podMeta)).toEqual({ metadata: { labels: {} } });
  });

  it('merges ports by containerPort, volumes by name, nodes addresses and conditions by type', () => {
    const pod = { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }], volumes: [{ name: 'v', emptyDir: {} }] } };
    const out = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'web' }] }], volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }] } }, podMeta);
    expect(out).toEqual({ spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'web' }] }], volumes: [{ name: 'v', configMap: { name: 'cm' } }] } });
    const node = { status: { addresses: [{ type: 'InternalIP', address: '1' }], conditions: [{ type: 'Ready', status: 'False' }] } };
    const nodeOut = applyStrategicMergePatch(node, { status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'n' }] } }, patchMetaFor('v1', 'Node'));
    expect(nodeOut).toEqual({ status: { addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '1' }], conditions: [{ type: 'Ready', status: 'True' }] } });
  });

  it('treats unknown kinds like a JSON merge patch (lists replaced)', () => {
    const out = applyStrategicMergePatch({ spec: { items: [{ name: 'a' }], keep: 1 } }, { spec: { items: [{ name: 'b' }] } }, patchMetaFor('example.com/v1', 'Widget'));
    expect(out).toEqual({ spec: { items: [{ name: 'b' }], keep: 1 } });
  });

  it('drops nulls from new values and merges Machine conditions by type', () => {
    const m = patchMetaFor('flotilla.dev/v1alpha1', 'Machine');
    const out = applyStrategicMergePatch({ status: { conditions: [{ type: 'A', status: 'True' }] } }, { spec: { cpus: 2, memoryMiB: null }, status: { conditions: [{ type: 'B', status: 'False' }] } }, m);
    expect(out).toEqual({ spec: { cpus: 2 }, status: { conditions: [{ type: 'B', status: 'False' }, { type: 'A', status: 'True' }] } });
  });

  it('rejects unknown directives with a PatchError', () => {
    expect(() => applyStrategicMergePatch({}, { spec: { $foo: 1 } }, podMeta)).toThrow(PatchError);
    expect(() => applyStrategicMergePatch({ metadata: { labels: {} } }, { metadata: { labels: { $patch: 'merge' } } }, podMeta)).toThrow('unknown patch type: merge');
    expect(() => applyStrategicMergePatch({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ $patch: 'merge' }] } }, podMeta))
      .toThrow('merging lists cannot yet be specified in the patch');
    expect(() => applyStrategicMergePatch({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ image: 'x' }] } }, podMeta))
      .toThrow('does not contain declared merge key: name');
  });

  it('rejects a $setElementOrder list that contradicts the patch order', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    expect(() => applyStrategicMergePatch(live, { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b' }, { name: 'a' }] } }, podMeta))
      .toThrow("doesn't match $setElementOrder list");
  });
});
