// The in-process API client: the same contract as the HTTP client, calling the registry directly.
// Controllers, the scheduler and the UI bridge in the control-plane process use it.
import type { ApiObject, KList, KObject, WatchEvent } from '../api/types';
import type { ResourceInfo } from '../api/resources';
import { apiVersionOf, resourceFor } from '../api/resources';
import { componentStatuses } from '../apiserver/handlers/component-statuses';
import type { Registry } from '../apiserver/registry/registry';
import type { ApiContext } from '../apiserver/context';
import { startWatch } from '../apiserver/registry/watch';
import { ApiError, errors } from '../apiserver/status';
import { bindPod } from '../apiserver/handlers/subresources';
import { evictPod } from '../apiserver/registry/eviction';
import { metricsItems } from '../apiserver/handlers/metrics';
import type { ApiClient, DeleteOpts, ListOptions, PatchKind, PatchOpts, ResourceRef, WatchHandle, WatchOptions, WriteOpts } from './types';
import { ClientError } from './types';

function clientError(e: unknown): unknown {
  if (e instanceof ApiError) return new ClientError(e.code, e.reason, e.message, e.toStatus());
  return e;
}

async function wrap<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw clientError(e);
  }
}

export class LocalClient implements ApiClient {
  private readonly registry: Registry;
  /**
   * Where a resource this server does not serve itself goes (one an aggregated API server serves): a client of this
   * server over HTTPS, whose requests the aggregator proxies. Unset: such a resource is not found.
   */
  aggregated?: ApiClient;

  constructor(private readonly ctx: ApiContext, private readonly manager = 'flotilla-controller') {
    this.registry = ctx.registry;
  }

  /** The client for a resource not served here, when there is one. */
  private elsewhere(r: ResourceRef): ApiClient | undefined {
    return this.aggregated && !resourceFor(r.group, r.version, r.plural) ? this.aggregated : undefined;
  }

  private info(r: ResourceRef): ResourceInfo {
    const info = resourceFor(r.group, r.version, r.plural);
    if (!info) throw new ClientError(404, 'NotFound', `the server could not find the requested resource (${r.plural})`);
    return info;
  }

  get<T extends ApiObject = KObject>(r: ResourceRef, name: string, namespace?: string): Promise<T> {
    const other = this.elsewhere(r);
    if (other) return other.get<T>(r, name, namespace);
    return wrap(() => {
      const info = this.info(r);
      if (info.virtual && info.group === '' && info.plural === 'componentstatuses') {
        const one = componentStatuses(this.ctx).find((cs) => cs.metadata.name === name);
        if (!one) throw errors.internal(`Component not found: ${name}`);
        return one as unknown as T;
      }
      return this.registry.get(info, namespace, name) as unknown as T;
    });
  }

  /** Only what an aggregated server serves has such paths (custom.metrics.k8s.io). */
  getPath<T>(r: ResourceRef, name: string, rest: string, o: { namespace?: string; query?: Record<string, string | undefined> } = {}): Promise<T> {
    const other = this.elsewhere(r);
    if (other?.getPath) return other.getPath<T>(r, name, rest, o);
    return Promise.reject(new ClientError(404, 'NotFound', `the server could not find the requested resource (get ${r.plural}.${r.group} ${name})`));
  }

  list<T extends ApiObject = KObject>(r: ResourceRef, o: ListOptions = {}): Promise<KList<T>> {
    const other = this.elsewhere(r);
    if (other) return other.list<T>(r, o);
    return wrap(async () => {
      const info = this.info(r);
      // metrics.k8s.io is live data, not stored: what the API serves for it.
      if (info.virtual && info.group === 'metrics.k8s.io') {
        const items = await metricsItems(this.ctx, info, o.namespace);
        return { apiVersion: apiVersionOf(info), kind: info.listKind, metadata: {}, items } as unknown as KList<T>;
      }
      // Checked when read, as the API serves them.
      if (info.virtual && info.group === '' && info.plural === 'componentstatuses') {
        return { apiVersion: 'v1', kind: info.listKind, metadata: {}, items: componentStatuses(this.ctx) } as unknown as KList<T>;
      }
      return this.registry.list(info, o.namespace, o) as unknown as KList<T>;
    });
  }

  create<T extends ApiObject = KObject>(r: ResourceRef, obj: T, o: WriteOpts = {}): Promise<T> {
    const other = this.elsewhere(r);
    if (other) return other.create<T>(r, obj, o);
    const opts = { fieldManager: o.fieldManager ?? this.manager, fieldValidation: o.fieldValidation, dryRun: o.dryRun };
    return wrap(async () => (await this.registry.create(this.info(r), o.namespace ?? obj.metadata?.namespace, obj, opts)).object as unknown as T);
  }

  update<T extends ApiObject = KObject>(r: ResourceRef, obj: T, o: WriteOpts = {}): Promise<T> {
    const other = this.elsewhere(r);
    if (other) return other.update<T>(r, obj, o);
    const opts = { fieldManager: o.fieldManager ?? this.manager, fieldValidation: o.fieldValidation, subresource: o.subresource, dryRun: o.dryRun };
    const namespace = o.namespace ?? obj.metadata?.namespace;
    return wrap(async () => (await this.registry.update(this.info(r), namespace, obj.metadata?.name ?? '', obj, opts)).object as unknown as T);
  }

  patch<T extends ApiObject = KObject>(r: ResourceRef, name: string, patch: unknown, kind: PatchKind, o: PatchOpts = {}): Promise<T> {
    const other = this.elsewhere(r);
    if (other) return other.patch<T>(r, name, patch, kind, o);
    const { fieldManager = this.manager, fieldValidation, subresource, force, dryRun } = o;
    const opts = { fieldManager, fieldValidation, subresource, force, dryRun };
    return wrap(async () => (await this.registry.patch(this.info(r), o.namespace, name, patch, kind, opts)).object as unknown as T);
  }

  delete(r: ResourceRef, name: string, o: DeleteOpts = {}): Promise<KObject> {
    const other = this.elsewhere(r);
    if (other) return other.delete(r, name, o);
    const opts = { gracePeriodSeconds: o.gracePeriodSeconds, propagationPolicy: o.propagationPolicy, preconditions: o.preconditions };
    return wrap(async () => (await this.registry.delete(this.info(r), o.namespace, name, opts)).object);
  }

  bind(namespace: string, pod: string, node: string): Promise<void> {
    return wrap(async () => {
      await bindPod(this.ctx, resourceFor('', 'v1', 'pods')!, namespace, pod, node);
    });
  }

  evict(namespace: string, pod: string, gracePeriodSeconds?: number): Promise<void> {
    return wrap(async () => {
      await evictPod(this.registry, namespace, pod, { gracePeriodSeconds });
    });
  }

  watch<T extends ApiObject = KObject>(r: ResourceRef, o: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, onClose: (err?: Error) => void): WatchHandle {
    const other = this.elsewhere(r);
    if (other) return other.watch<T>(r, o, onEvent, onClose);
    let dispose: (() => void) | undefined;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    // Deliver asynchronously, like the HTTP client, so callers never run inside a store commit.
    const queue: Array<WatchEvent<T>> = [];
    let scheduled = false;
    const drain = () => {
      scheduled = false;
      const batch = queue.splice(0);
      for (const ev of batch) if (!stopped) onEvent(ev);
    };
    try {
      dispose = startWatch(this.registry, this.ctx.store, this.info(r), o.namespace, o, (ev) => {
        // Objects are shared between watchers and frozen (read-only): copy before changing one.
        queue.push({ type: ev.type, object: ev.object as unknown as T });
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(drain);
        }
      });
    } catch (e) {
      queueMicrotask(() => onClose(clientError(e) as Error));
      return { stop: () => undefined };
    }
    if (o.onOpen) queueMicrotask(() => { if (!stopped) o.onOpen?.(); });
    if (o.timeoutSeconds) {
      timer = setTimeout(() => {
        if (stopped) return;
        stopped = true;
        dispose?.();
        drain();
        onClose();
      }, o.timeoutSeconds * 1000);
    }
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        dispose?.();
      },
    };
  }
}
