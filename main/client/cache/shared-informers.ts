// The shared-informer factory: one informer per resource for every control loop in the process,
// with the indexes the loops use (objects by namespace, pods by node, objects by controller uid).
import type {
  ControllerRevision, CronJob, DaemonSet, Deployment, Job, KObject, Lease, Machine, Namespace, Node, PersistentVolume, Pod, ReplicaSet, Service,
  StatefulSet,
} from '../../api/types';
import type { ApiClient } from '../types';
import type { ResourceName } from '../refs';
import { R, keyFor } from '../refs';
import { Informer } from './informer';
import type { IndexFunc, MetaObject } from './store';

export const BY_NODE = 'byNode';
export const BY_CONTROLLER = 'byController';
export const BY_NAMESPACE = 'byNamespace';
/** PersistentVolumes by their claimRef's namespace/name. */
export const BY_CLAIM = 'byClaim';

/** The uid of the object's controller (the ownerReference with controller: true), as an index value. */
export function controllerUid(o: { metadata?: { readonly ownerReferences?: ReadonlyArray<{ controller?: boolean; uid: string }> } }): string[] {
  const ref = o.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
}

/** The indexes each resource's informer keeps besides BY_NAMESPACE. */
const INDEXES: Partial<Record<ResourceName, Record<string, IndexFunc<KObject>>>> = {
  pods: { [BY_NODE]: (o) => { const n = (o as Pod).spec?.nodeName; return n ? [n] : []; }, [BY_CONTROLLER]: controllerUid },
  replicasets: { [BY_CONTROLLER]: controllerUid },
  jobs: { [BY_CONTROLLER]: controllerUid },
  controllerrevisions: { [BY_CONTROLLER]: controllerUid },
  persistentvolumes: { [BY_CLAIM]: (o) => { const r = (o as PersistentVolume).spec?.claimRef; return r?.name ? [keyFor(r.namespace, r.name)] : []; } },
};

export class SharedInformers {
  /** By resource, or `resource?fieldSelector` for an informer of only the objects a selector picks. */
  private readonly all = new Map<string, Informer<KObject>>();
  private readonly stops: Array<() => void> = [];
  private started = false;

  constructor(readonly client: ApiClient, private readonly log?: (l: string) => void) {}

  private get<T extends MetaObject>(name: ResourceName, fieldSelector?: string): Informer<T> {
    const id = fieldSelector ? `${name}?${fieldSelector}` : name;
    let inf = this.all.get(id);
    if (!inf) {
      const log = this.log;
      inf = new Informer<KObject>(this.client, R[name], { fieldSelector, onError: log && ((e) => log(`informer ${id}: ${e instanceof Error ? e.message : String(e)}`)) });
      inf.addIndex(BY_NAMESPACE, (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
      for (const [index, fn] of Object.entries(INDEXES[name] ?? {})) inf.addIndex(index, fn);
      this.all.set(id, inf);
      if (this.started) this.stops.push(inf.start());
    }
    return inf as unknown as Informer<T>;
  }

  get pods(): Informer<Pod> { return this.get<Pod>('pods'); }
  get nodes(): Informer<Node> { return this.get<Node>('nodes'); }
  get namespaces(): Informer<Namespace> { return this.get<Namespace>('namespaces'); }
  get services(): Informer<Service> { return this.get<Service>('services'); }
  get deployments(): Informer<Deployment> { return this.get<Deployment>('deployments'); }
  get replicasets(): Informer<ReplicaSet> { return this.get<ReplicaSet>('replicasets'); }
  get daemonsets(): Informer<DaemonSet> { return this.get<DaemonSet>('daemonsets'); }
  get jobs(): Informer<Job> { return this.get<Job>('jobs'); }
  get cronjobs(): Informer<CronJob> { return this.get<CronJob>('cronjobs'); }
  get statefulsets(): Informer<StatefulSet> { return this.get<StatefulSet>('statefulsets'); }
  get controllerrevisions(): Informer<ControllerRevision> { return this.get<ControllerRevision>('controllerrevisions'); }
  get leases(): Informer<Lease> { return this.get<Lease>('leases'); }
  get machines(): Informer<Machine & KObject> { return this.get<Machine & KObject>('machines'); }
  /**
   * The informer of any resource, untyped (the same one the typed getters return); with a field selector,
   * a shared informer of only the objects it picks (a loop that cares about one name need not cache them all).
   */
  informer(name: ResourceName, fieldSelector?: string): Informer<KObject> { return this.get<KObject>(name, fieldSelector); }

  /** Starts every informer created so far (and later ones as they are created). */
  start(): () => void {
    if (this.started) return () => this.stop();
    this.started = true;
    for (const inf of this.all.values()) this.stops.push(inf.start());
    return () => this.stop();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.all.values()].map((i) => i.hasSynced));
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }
}
