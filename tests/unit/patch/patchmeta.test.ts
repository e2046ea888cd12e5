import { describe, expect, it } from 'vitest';
import { patchMetaFor, type PatchMeta } from '../../../main/apiserver/patch/patchmeta';

function at(meta: PatchMeta, ...fields: string[]): PatchMeta {
  return fields.reduce((m, f) => (f === '[]' ? m.elem() : m.child(f)), meta);
}

function info(m: PatchMeta): Record<string, unknown> {
  return { strategy: m.strategy, mergeKey: m.mergeKey, listType: m.listType, mapKeys: m.mapKeys };
}

describe('patch meta', () => {
  const pod = patchMetaFor('v1', 'Pod');
  const deploy = patchMetaFor('apps/v1', 'Deployment');

  it('knows the keyed lists of PodSpec and Container', () => {
    expect(info(at(pod, 'spec', 'containers'))).toEqual({ strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] });
    expect(info(at(pod, 'spec', 'volumes'))).toEqual({ strategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', mapKeys: ['name'] });
    expect(at(pod, 'spec', 'initContainers').mergeKey).toBe('name');
    expect(at(pod, 'spec', 'ephemeralContainers').mergeKey).toBe('name');
    expect(at(pod, 'spec', 'imagePullSecrets').mergeKey).toBe('name');
    expect(at(pod, 'spec', 'hostAliases').mergeKey).toBe('ip');
    const c = at(pod, 'spec', 'containers', '[]');
    expect(info(c.child('ports'))).toEqual({ strategy: 'merge', mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] });
    expect(c.child('env').mergeKey).toBe('name');
    expect(c.child('volumeMounts').mergeKey).toBe('mountPath');
    expect(c.child('volumeDevices').mergeKey).toBe('devicePath');
    for (const atomic of ['args', 'command']) expect(info(c.child(atomic))).toMatchObject({ strategy: undefined, listType: 'atomic' });
    expect(info(at(pod, 'spec', 'tolerations'))).toMatchObject({ strategy: undefined, listType: 'atomic' });
  });

  it('uses the same PodSpec inside workload templates', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet']) {
      const m = patchMetaFor('apps/v1', kind);
      expect(at(m, 'spec', 'template', 'spec', 'containers', '[]', 'env').mergeKey).toBe('name');
      expect(at(m, 'status', 'conditions').mergeKey).toBe('type');
    }
    expect(at(deploy, 'spec', 'strategy').strategy).toBe('retainKeys');
    expect(at(deploy, 'spec', 'selector').atomic).toBe(true);
  });

  it('knows ObjectMeta everywhere', () => {
    for (const [v, k] of [['v1', 'ConfigMap'], ['v1', 'Secret'], ['coordination.k8s.io/v1', 'Lease'], ['flotilla.dev/v1alpha1', 'Machine'], ['v1', 'Event']]) {
      const m = patchMetaFor(v, k);
      expect(info(at(m, 'metadata', 'finalizers'))).toEqual({ strategy: 'merge', mergeKey: undefined, listType: 'set', mapKeys: undefined });
      expect(at(m, 'metadata', 'ownerReferences').mergeKey).toBe('uid');
      expect(at(m, 'metadata', 'labels').type).toBe('map');
    }
  });

  it('knows Service, Node, Namespace, Machine and statuses', () => {
    expect(info(at(patchMetaFor('v1', 'Service'), 'spec', 'ports'))).toEqual({ strategy: 'merge', mergeKey: 'port', listType: 'map', mapKeys: ['port', 'protocol'] });
    const node = patchMetaFor('v1', 'Node');
    expect(at(node, 'status', 'addresses').mergeKey).toBe('type');
    expect(at(node, 'status', 'conditions').mergeKey).toBe('type');
    expect(info(at(node, 'status', 'images'))).toMatchObject({ strategy: undefined, listType: 'atomic' });
    expect(info(at(node, 'spec', 'taints'))).toMatchObject({ strategy: undefined, listType: 'atomic' });
    expect(at(pod, 'status', 'conditions').mergeKey).toBe('type');
    expect(at(patchMetaFor('v1', 'Namespace'), 'status', 'conditions').mergeKey).toBe('type');
    const machine = patchMetaFor('flotilla.dev/v1alpha1', 'Machine');
    expect(at(machine, 'status', 'conditions').mergeKey).toBe('type');
    expect(at(machine, 'spec', 'cpus').strategy).toBeUndefined();
  });

  it('treats unknown kinds as deduced: maps merge, lists are atomic', () => {
    const m = patchMetaFor('example.com/v1', 'Widget');
    expect(m.type).toBe('deduced');
    expect(info(at(m, 'spec', 'items'))).toMatchObject({ strategy: undefined, listType: 'atomic' });
    expect(at(m, 'spec', 'a', 'b').type).toBe('deduced');
  });
});
