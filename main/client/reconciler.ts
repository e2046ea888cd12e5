// A small controller-runtime: a controller is a reconcile function of a namespace/name key plus
// what should enqueue keys — For(resource) its own objects, Owns(resource) the owner named by an
// object's controller ownerReference, Watches(resource, map) whatever map returns. Keys go through
// a rate-limited work queue: a throw retries the key with per-key exponential backoff,
// { requeueAfter } comes back after that long, success forgets the key's failures. N workers start
// once the informers have synced.
//
//   export function newPodGCController(ctx: ControllerContext): Controller {
//     return newReconciler(ctx, 'pod-gc').for('pods').watches('nodes', podsOfNode).complete(reconcile);
//   }
import type { KObject } from '../api/types';
import { resourceFor } from '../api/resources';
import type { SharedInformers } from './cache/shared-informers';
import type { EventHandler } from './cache/informer';
import { keyFor, keyOf, R } from './refs';
import type { ResourceName } from './refs';
import type { WorkQueueOptions } from './workqueue';
import { WorkQueue, runWorkers } from './workqueue';
import type { QueueMetricsProvider } from '../protocol/queue-metrics';

export interface ReconcileResult {
  /** Reconcile the key again after this many ms (a timer, not an error: no backoff). */
  requeueAfter?: number;
}

export type ReconcileFunc = (key: string) => Promise<ReconcileResult | void> | ReconcileResult | void;

/** Which events pass (controller-runtime's predicate.Funcs); a missing function lets the event through. */
export interface Predicates<T = KObject> {
  add?(obj: T): boolean;
  update?(oldObj: T, newObj: T): boolean;
  delete?(obj: T): boolean;
}

/** What a controller is to whoever runs it (the control loops, the node manager). */
export interface Controller {
  name: string;
  /** Registers handlers (before informers start); returns a disposer. */
  register(): () => void;
  /** Starts the workers once informers have synced; returns a disposer. */
  run(): () => void;
}

export interface ReconcilerContext {
  informers: SharedInformers;
  log(line: string): void;
  /** Where each controller's queue reports (the control plane's /metrics); none: nothing is counted. */
  queueMetrics?: QueueMetricsProvider;
}

export interface ReconcilerOptions {
  /** Concurrent reconciles (default 1, as controller-runtime's MaxConcurrentReconciles). */
  workers?: number;
  queue?: WorkQueueOptions;
}

type Watch = { resource: ResourceName; map: (obj: KObject) => string[]; predicates?: Predicates; fieldSelector?: string };

export class ReconcilerBuilder {
  private forResource?: ResourceName;
  private readonly watchList: Watch[] = [];
  /** The controller's queue (exposed for tests and for controllers that enqueue from timers). */
  readonly queue: WorkQueue<string>;

  constructor(private readonly ctx: ReconcilerContext, readonly name: string, private readonly opts: ReconcilerOptions = {}) {
    this.queue = new WorkQueue<string>({ ...opts.queue, metrics: ctx.queueMetrics?.forQueue(name, () => this.queue.length) });
  }

  /** The controller's own resource: every change to one of its objects enqueues the object's key. */
  for<T = KObject>(resource: ResourceName, predicates?: Predicates<T>): this {
    this.forResource = resource;
    return this.watches<T>(resource, (o) => [keyOf(o as KObject)], predicates);
  }

  /** Objects this controller creates: a change enqueues the owner (its controller ownerReference, of the For resource's kind). */
  owns<T = KObject>(resource: ResourceName, predicates?: Predicates<T>): this {
    const owner = this.forResource;
    if (!owner) throw new Error(`${this.name}: owns() needs for() first`);
    const info = resourceFor(R[owner].group, R[owner].version, R[owner].plural)!;
    return this.watches<T>(resource, (obj) => {
      const o = obj as KObject;
      const ref = o.metadata?.ownerReferences?.find((r) => r.controller);
      if (!ref || ref.kind !== info.kind || groupOf(ref.apiVersion) !== info.group) return [];
      return [keyFor(info.namespaced ? o.metadata?.namespace : undefined, ref.name)];
    }, predicates);
  }

  /** Any resource (or only the objects `fieldSelector` picks): a change enqueues the keys `map` returns. */
  watches<T = KObject>(resource: ResourceName, map: (obj: T) => string[], predicates?: Predicates<T>, fieldSelector?: string): this {
    this.watchList.push({ resource, map: map as unknown as Watch['map'], predicates: predicates as Predicates | undefined, fieldSelector });
    return this;
  }

  /** Builds the controller around the reconcile function. */
  complete(reconcile: ReconcileFunc): Controller {
    const { ctx, queue, name } = this;
    const workers = this.opts.workers ?? 1;
    const watches = [...this.watchList];
    const enqueue = (keys: string[]): void => { for (const k of keys) if (k) queue.add(k); };
    const sync = async (key: string): Promise<void> => {
      const res = await reconcile(key);
      if (res?.requeueAfter !== undefined) queue.addAfter(key, res.requeueAfter);
    };
    return {
      name,
      register: () => {
        const offs = watches.map((w) => ctx.informers.informer(w.resource, w.fieldSelector).addHandler(handlerFor(w, enqueue)));
        return () => offs.forEach((off) => off());
      },
      run: () => runWorkers(queue, workers, sync, (key, e) => ctx.log(`${name} ${key}: ${e instanceof Error ? e.message : String(e)}`)),
    };
  }
}

function handlerFor(w: Watch, enqueue: (keys: string[]) => void): EventHandler<KObject> {
  const p = w.predicates ?? {};
  return {
    add: (o) => { if (!p.add || p.add(o)) enqueue(w.map(o)); },
    update: (old, o) => {
      if (p.update && !p.update(old, o)) return;
      const keys = w.map(o);
      // An object that changed owner or mapping: both the old and the new targets hear of it.
      for (const k of w.map(old)) if (!keys.includes(k)) keys.push(k);
      enqueue(keys);
    },
    delete: (o) => { if (!p.delete || p.delete(o)) enqueue(w.map(o)); },
  };
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** A controller for `name` on the context's shared informers. */
export function newReconciler(ctx: ReconcilerContext, name: string, opts?: ReconcilerOptions): ReconcilerBuilder {
  return new ReconcilerBuilder(ctx, name, opts);
}

/** Runs one controller outside the control loops: registers, starts the informers, runs once synced. Returns a disposer. */
export function startController(c: Controller, informers: SharedInformers): () => void {
  const disposers = [c.register(), informers.start()];
  let stopped = false;
  void informers.waitForSync().then(() => { if (!stopped) disposers.push(c.run()); });
  return () => {
    stopped = true;
    for (const d of disposers.reverse()) d();
  };
}
