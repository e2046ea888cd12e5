// The shared-informer factory: one informer per resource for every control loop in the process,
// with the indexes the loops use (objects by namespace, pods by node, objects by controller uid).
import type {
  ControllerRevision, CronJob, DaemonSet, Deployment, Job, KObject, Lease, Machine, Namespace, Node, PersistentVolume, Pod, ReplicaSet, Service,
  StatefulSet,
} from '../../api/types';
import type { ApiClient, ResourceRef } from '../types';
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

const resourceId = (r: ResourceRef): string => `${r.group}/${r.version}/${r.plural}`;

/** The name `R` gives this resource, if any. */
function namedResource(ref: ResourceRef): ResourceName | undefined {
  return (Object.keys(R) as ResourceName[]).find((n) => resourceId(R[n]) === resourceId(ref));
}

export class SharedInformers {
  /** By resource, or `resource?fieldSelector` for an informer of only the objects a selector picks. */
  private readonly all = new Map<string, Informer<KObject>>();
  private readonly stops = new Map<string, () => void>();
  private started = false;

  constructor(readonly client: ApiClient, private readonly log?: (l: string) => void) {}

  private get<T extends MetaObject>(name: ResourceName, fieldSelector?: string): Informer<T> {
    const id = fieldSelector ? `${name}?${fieldSelector}` : name;
    return (this.all.get(id) ?? this.create(id, R[name], fieldSelector, INDEXES[name])) as unknown as Informer<T>;
  }

  private create(id: string, ref: ResourceRef, fieldSelector?: string, indexes: Record<string, IndexFunc<KObject>> = {}): Informer<KObject> {
    const log = this.log;
    const inf = new Informer<KObject>(this.client, ref, { fieldSelector, onError: log && ((e) => log(`informer ${id}: ${e instanceof Error ? e.message : String(e)}`)) });
    inf.addIndex(BY_NAMESPACE, (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
    for (const [index, fn] of Object.entries(indexes)) inf.addIndex(index, fn);
    this.all.set(id, inf);
    if (this.started) this.stops.set(id, inf.start());
    return inf;
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

  /**
   * The informer of any served resource, a custom resource's included (the named one for a resource `R` names).
   * One another loop no longer needs (a deleted definition's) is stopped with `release`.
   */
  forResource(ref: ResourceRef): Informer<KObject> {
    const name = namedResource(ref);
    if (name) return this.get<KObject>(name);
    const id = resourceId(ref);
    return this.all.get(id) ?? this.create(id, ref);
  }

  /** Stops and forgets the informer `forResource` made for a resource `R` does not name (those stay for other loops). */
  release(ref: ResourceRef): void {
    if (namedResource(ref)) return;
    const id = resourceId(ref);
    this.stops.get(id)?.();
    this.stops.delete(id);
    this.all.delete(id);
  }

  /** Starts every informer created so far (and later ones as they are created). */
  start(): () => void {
    if (this.started) return () => this.stop();
    this.started = true;
    for (const [id, inf] of this.all) this.stops.set(id, inf.start());
    return () => this.stop();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.all.values()].map((i) => i.hasSynced));
  }

  stop(): void {
    for (const s of this.stops.values()) s();
    this.stops.clear();
  }
}
