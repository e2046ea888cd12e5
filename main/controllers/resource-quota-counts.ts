// The objects the resource quota controller counts beyond the core kinds it watches through the shared
// informers: for each `count/<resource>.<group>` a quota names (any served resource, CRDs' included), an
// informer of its own, made when a quota first names it and kept until the controller stops. Its events
// enqueue the quotas of the object's namespace.
import type { KObject } from '../api/types';
import { resourceOfGroupResource } from '../api/quota-count';
import { BY_NAMESPACE } from '../client/cache/shared-informers';
import { Informer } from '../client/cache/informer';
import type { ApiClient } from '../client/types';

export class CountedObjects {
  private readonly byResource = new Map<string, Informer<KObject>>();
  private running = false;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly client: ApiClient,
    private readonly changed: (namespace: string) => void,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * The objects of `gr` in `namespace`: an array once its informer has listed, undefined while it has not
   * yet (`whenSynced` is called then) or when no such resource is served.
   */
  objects(gr: string, namespace: string, whenSynced: () => void): unknown[] | undefined {
    let inf = this.byResource.get(gr);
    if (!inf) {
      const r = resourceOfGroupResource(gr);
      if (!r) return undefined;
      inf = new Informer<KObject>(this.client, { group: r.group, version: r.version, plural: r.plural, namespaced: r.namespaced }, {
        onError: (e) => this.log(`resourcequota: informer ${gr}: ${e instanceof Error ? e.message : String(e)}`),
      });
      inf.addIndex(BY_NAMESPACE, (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
      const changed = (o: KObject) => this.changed(o.metadata?.namespace ?? '');
      inf.addHandler({ add: changed, update: (_old, o) => changed(o), delete: changed });
      this.byResource.set(gr, inf);
      if (this.running) this.stops.push(inf.start());
    }
    if (!inf.isSynced) {
      void inf.hasSynced.then(whenSynced);
      return undefined;
    }
    return inf.byIndex(BY_NAMESPACE, namespace);
  }

  /** Starts the informers made so far and those made later; returns the disposer that stops them all. */
  run(): () => void {
    this.running = true;
    for (const inf of this.byResource.values()) this.stops.push(inf.start());
    return () => {
      this.running = false;
      for (const stop of this.stops.splice(0)) stop();
    };
  }
}
