// Shared informers: one informer per resource for every control loop in the process, with the
// indexes the loops use (pods by node, objects by controller uid).
import type { DaemonSet, Deployment, KObject, Lease, Namespace, Node, Pod, ReplicaSet, Service } from '../api/types';
import type { ApiClient } from '../client/types';
import { Informer } from './informer';
import type { MetaObject } from './informer';
import { R } from './refs';

export const BY_NODE = 'byNode';
export const BY_CONTROLLER = 'byController';
export const BY_NAMESPACE = 'byNamespace';

function controllerUid(o: { metadata?: { readonly ownerReferences?: ReadonlyArray<{ controller?: boolean; uid: string }> } }): string[] {
  const ref = o.metadata?.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
}

export class SharedInformers {
  private readonly all = new Map<string, Informer<KObject>>();
  private readonly stops: Array<() => void> = [];
  private started = false;

  constructor(readonly client: ApiClient, private readonly log?: (l: string) => void) {}

  private get<T extends MetaObject>(name: keyof typeof R, setup?: (i: Informer<T>) => void): Informer<T> {
    let inf = this.all.get(name) as Informer<T> | undefined;
    if (!inf) {
      inf = new Informer<T>(this.client, R[name], { log: this.log });
      inf.addIndex(BY_NAMESPACE, (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
      setup?.(inf);
      this.all.set(name, inf as unknown as Informer<KObject>);
      if (this.started) this.stops.push(inf.start());
    }
    return inf;
  }

  get pods(): Informer<Pod> {
    return this.get<Pod>('pods', (i) => {
      i.addIndex(BY_NODE, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
      i.addIndex(BY_CONTROLLER, controllerUid);
    });
  }
  get nodes(): Informer<Node> { return this.get<Node>('nodes'); }
  get namespaces(): Informer<Namespace> { return this.get<Namespace>('namespaces'); }
  get services(): Informer<Service> { return this.get<Service>('services'); }
  get deployments(): Informer<Deployment> { return this.get<Deployment>('deployments'); }
  get replicasets(): Informer<ReplicaSet> { return this.get<ReplicaSet>('replicasets', (i) => i.addIndex(BY_CONTROLLER, controllerUid)); }
  get daemonsets(): Informer<DaemonSet> { return this.get<DaemonSet>('daemonsets'); }
  get leases(): Informer<Lease> { return this.get<Lease>('leases'); }
  informer(name: keyof typeof R): Informer<KObject> { return this.get<KObject>(name); }

  /** Starts every informer created so far (and later ones as they are created). */
  start(): () => void {
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
