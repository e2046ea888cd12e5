// @vitest-environment happy-dom
// The map's pods by node, the legend's app counts and the search box's count follow the pods informer's changes
// (watch events) instead of going over every pod each frame: after every burst of events they equal what a full pass
// over the informer's pods gives, through pods added, moved between nodes, relabelled out of the search, deleted, and a
// new list; a node whose pods did not change keeps its array.
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { effectScope, ref } from 'vue';
import type { WatchEventItem } from '../../../main/bridge/contract';
import { setTransport } from '../../../renderer/src/bridge/client';
import { groupByNode, usePodsByNode } from '../../../renderer/src/composables/usePodsByNode';
import { useAppCounts } from '../../../renderer/src/composables/useAppCounts';
import { useFindCount } from '../../../renderer/src/composables/useFindCount';
import { useFind } from '../../../renderer/src/composables/useFind';
import type { AppMap } from '../../../renderer/src/composables/useAppMap';
import { appColour, appOf, summarizeApps, type OwnerIndex } from '../../../renderer/src/lib/app-groups';
import { usePodsStore, type PodObj } from '../../../renderer/src/stores/pods';
import { useNavStore } from '../../../renderer/src/stores/nav';
import { FakeTransport, informerTransport, settle } from './fake-transport';
import { waitFor } from '../../helpers/wait';

const NO_OWNERS: OwnerIndex = { replicaSet: () => undefined, job: () => undefined };
const appMap: AppMap = { appOf: (p) => appOf(p, NO_OWNERS), colour: appColour, selected: ref(), toggle: () => undefined, generation: ref(0) };

let rv = 10;
function pod(name: string, node: string | undefined, app: string, ready = true): PodObj {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app }, resourceVersion: String(rv++) },
    spec: { nodeName: node, containers: [{ name: 'app', image: 'docker.io/flotilla/hello:1' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

let t: FakeTransport;
let listed: PodObj[] = [];
beforeEach(() => {
  setActivePinia(createPinia());
  listed = [pod('a-1', 'n1', 'a'), pod('a-2', 'n2', 'a'), pod('b-1', 'n1', 'b'), pod('b-2', undefined, 'b')];
  t = informerTransport(() => ({ pods: listed }));
  setTransport(t);
});

describe('the map kept from the informer\'s changes', () => {
  it('equals a full pass after every burst, and keeps the arrays of nodes whose pods did not change', async () => {
    const pods = usePodsStore();
    const nav = useNavStore();
    nav.query = 'app=a';
    const scope = effectScope();
    const { byNode, counts, found, find } = scope.run(() => ({
      byNode: usePodsByNode(true), counts: useAppCounts(appMap), found: useFindCount(), find: useFind(),
    }))!;
    pods.start();
    await waitFor(() => pods.synced, 'the pods listed', 2000);

    const check = () => {
      const all = [...pods.items.values()];
      expect(byNode.value).toEqual(groupByNode(all, find.predicate.value));
      expect(counts.value).toEqual(summarizeApps(all, NO_OWNERS));
      expect(found.value).toEqual({ n: all.filter(find.predicate.value).length, total: all.length });
    };
    check();
    const send = async (events: WatchEventItem[]) => {
      t.emit('watch', { watchId: 'w', events });
      await settle();
      // The informer tells views at most once a frame: wait (with a deadline) for the burst to reach them.
      await waitFor(() => {
        check();
        return true;
      }, 'the views to show the burst', 2000, 5);
    };

    const n2Before = byNode.value.get('n2');
    await send([{ type: 'MODIFIED', object: pod('a-1', 'n1', 'a', false) }, { type: 'ADDED', object: pod('a-3', 'n3', 'a') }]);
    expect(byNode.value.get('n2')).toBe(n2Before);
    expect(byNode.value.get('n3')?.map((p) => p.metadata?.name)).toEqual(['a-3']);
    // Moved to another node, relabelled out of the search (still counted in the legend), deleted, added twice in a burst.
    await send([{ type: 'MODIFIED', object: pod('a-2', 'n1', 'a') }, { type: 'MODIFIED', object: pod('a-3', 'n3', 'c') }]);
    expect(byNode.value.has('n3')).toBe(false);
    expect(byNode.value.get('n1')?.map((p) => p.metadata?.name)).toEqual(['a-1', 'a-2']);
    await send([{ type: 'DELETED', object: pod('a-1', 'n1', 'a') }, { type: 'ADDED', object: pod('a-0', 'n1', 'a') }, { type: 'MODIFIED', object: pod('a-0', 'n1', 'a', false) }]);
    expect(byNode.value.get('n1')?.map((p) => p.metadata?.name)).toEqual(['a-0', 'a-2']);

    // A new search groups everything again; so does a new list (the informer lists again on 410 Gone).
    nav.query = 'b';
    check();
    listed = [pod('b-9', 'n9', 'b')];
    t.emit('watch', { watchId: 'w', events: [], closed: { error: { code: 410, reason: 'Gone', message: 'too old' } } });
    await waitFor(() => pods.items.has('default/b-9'), 'the new list', 2000);
    check();
    expect([...byNode.value.keys()]).toEqual(['n9']);
    scope.stop();
    pods.stop();
  });
});
