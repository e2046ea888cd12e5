// @vitest-environment happy-dom
// The map's owner index (composables/useAppMap.ts) follows the ReplicaSet informer: a pod shows under its Deployment
// once its ReplicaSet arrives, and a ReplicaSet's status change (every pod readiness change makes one) leaves the
// index — and so every chip on the map — untouched.
import { describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { ownerIndex, provideAppMap, type AppMap } from '../../../renderer/src/composables/useAppMap';
import { useReplicaSetsStore, type ReplicaSetObj } from '../../../renderer/src/stores/replicasets';
import { pod } from './fixtures';

const rs = (readyReplicas: number): ReplicaSetObj => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name: 'web-7d9c', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true }] },
  spec: { selector: {} }, status: { replicas: 1, readyReplicas },
});

describe('the owner index', () => {
  it('names a pod\'s Deployment once its ReplicaSet is known, and ignores ReplicaSets\' status changes', async () => {
    setActivePinia(createPinia());
    let map: AppMap | undefined;
    mount(defineComponent({ setup: () => { map = provideAppMap(); return () => h('div'); } }));
    const p = pod('web-7d9c-x', 'n1', 'Running');
    p.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9c', uid: 'r', controller: true }];
    expect(map!.appOf(p).key).toBe('default/ReplicaSet/web-7d9c');
    const store = useReplicaSetsStore();
    store.items = new Map([['default/web-7d9c', rs(0)]]);
    await nextTick();
    expect(map!.appOf(p).key).toBe('default/Deployment/web');
    const before = ownerIndex.replicaSet('default/web-7d9c');
    store.items = new Map([['default/web-7d9c', rs(1)]]);
    await nextTick();
    expect(ownerIndex.replicaSet('default/web-7d9c')).toBe(before);
  });
});
