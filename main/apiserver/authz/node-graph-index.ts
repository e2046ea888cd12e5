// The node authorizer's graph kept from the store (Kubernetes' graph_populator.go): pods and
// PersistentVolumes listed once, then followed by their watches. The store calls watchers before a
// write's promise settles, so a pod bound to a node is in the graph before the binding's response is
// sent: the node's next read of the pod's secret finds the path. An event's object is the one the API's watchers
// get (DecodedObjects.eventObject: made from the written object, not parsed again).
import { resourceFor, storagePrefix } from '../../api/resources';
import type { Store, StoreEvent } from '../../store/types';
import { decodedObjectsOf } from '../registry/decoded';
import { NodeGraph } from './node-graph';

const POD_PREFIX = storagePrefix(resourceFor('', 'v1', 'pods')!);
const PV_PREFIX = storagePrefix(resourceFor('', 'v1', 'persistentvolumes')!);

type Named = { metadata?: { name?: string; namespace?: string } };

export class NodeGraphIndex {
  readonly graph = new NodeGraph();
  private readonly stops: Array<() => void> = [];

  constructor(store: Store) {
    this.follow(store, POD_PREFIX, (obj) => this.graph.putPod(obj), (obj) => this.graph.deletePod(obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''));
    this.follow(store, PV_PREFIX, (obj) => this.graph.putPV(obj), (obj) => this.graph.deletePV(obj.metadata?.name ?? ''));
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Lists `prefix` and watches it from the listed revision, in one synchronous step. */
  private follow(store: Store, prefix: string, put: (obj: Named) => void, remove: (obj: Named) => void): void {
    const decoded = decodedObjectsOf(store);
    const listed = store.list(prefix);
    for (const kv of listed.items) put(decoded.readOnly(kv));
    this.stops.push(store.watch(prefix, listed.revision, (events: StoreEvent[]) => {
      for (const e of events) (e.type === 'PUT' ? put : remove)(decoded.eventObject(e));
    }));
  }
}
