// Test fixture for controller unit tests (what sample-controller's fake clientset is for), without
// mocks: the real Registry on an in-memory SQLite store, the real in-process LocalClient, and ONE
// control loop started alone — no API server, no scheduler, no kubelets, no other controllers.
// The test plays every other part by writing API objects (a pod's status as a kubelet would, a
// ReplicaSet's status as its controller would) and waits on the API state the loop produces.
import type { ApiObject, KObject, WatchEvent } from '../../main/api/types';
import { resourceForKind } from '../../main/api/resources';
import type { Registry } from '../../main/apiserver/registry/registry';
import type { ApiContext } from '../../main/apiserver/context';
import type { LocalClient } from '../../main/client/local';
import { isNotFound, type DeleteOpts, type ResourceRef } from '../../main/client/types';
import { startControlLoops } from '../../main/controllers';
import type { ControlLoopOptions } from '../../main/controllers';
import { hooked } from './hooked';
import { startInProcessApi, type InProcessApiOptions } from './in-process-api';
import { waitFor } from './wait';

export type ControllerOptions = Omit<ControlLoopOptions, 'controllers' | 'log'>;

export interface ControlPlane {
  /** The API context (a test plays the nodes' metrics reports through ctx.metrics). */
  ctx: ApiContext;
  registry: Registry;
  client: LocalClient;
  /** What the control loop logged (its sync errors, among others). */
  logs: string[];
  /** Starts one control loop by its name in controllers/index.ts; resolves once its informers synced. */
  startController(name: string, opts?: ControllerOptions): Promise<void>;
  /** Creates an object; the resource comes from its apiVersion and kind. */
  create<T extends ApiObject>(obj: T): Promise<T>;
  get<T extends ApiObject>(like: Kinded, name: string, namespace?: string): Promise<T>;
  /** The object, or undefined once it is gone. */
  find<T extends ApiObject>(like: Kinded, name: string, namespace?: string): Promise<T | undefined>;
  list<T extends ApiObject>(like: Kinded, namespace?: string, labelSelector?: string): Promise<T[]>;
  /** Merge-patches the object. */
  patch<T extends ApiObject>(like: Kinded, name: string, namespace: string | undefined, body: unknown): Promise<T>;
  /** Merge-patches the object's status subresource (as a kubelet or another controller would). */
  patchStatus<T extends ApiObject>(like: Kinded, name: string, namespace: string | undefined, status: unknown): Promise<T>;
  delete(like: Kinded, name: string, opts?: DeleteOpts): Promise<void>;
  /** Events recorded about an object (by involvedObject.name), oldest first. */
  events(name: string, namespace?: string): Promise<RecordedEvent[]>;
  /**
   * Waits until the Events about an object include every one of `wanted` (as `show` renders an Event: its reason by
   * default), then returns them all. Recorders write Events after the change they tell of, as client-go's do: a test
   * that has seen the change has not necessarily seen its Event yet.
   */
  eventsIncluding(name: string, namespace: string | undefined, wanted: string[], show?: (e: RecordedEvent) => string): Promise<RecordedEvent[]>;
  /** Records every watch event of a resource from now on (stopped with the plane). */
  record<T extends ApiObject>(like: Kinded, namespace?: string): Array<WatchEvent<T>>;
  /** Polls until fn returns a truthy value (errors count as "not yet"); the controller's log is in the timeout error. */
  waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<NonNullable<T>>;
  stop(): Promise<void>;
}

export interface RecordedEvent { reason?: string; message?: string; type?: string }

/** Anything carrying apiVersion and kind: an object, or `{ apiVersion: 'apps/v1', kind: 'ReplicaSet' }`. */
export interface Kinded {
  apiVersion?: string;
  kind?: string;
}

export function resourceOf(like: Kinded): ResourceRef {
  const r = resourceForKind(like.apiVersion ?? '', like.kind ?? '');
  if (!r) throw new Error(`no resource serves ${like.apiVersion}/${like.kind}`);
  return r;
}

export async function startControlPlane(apiOpts: InProcessApiOptions = {}): Promise<ControlPlane> {
  const api = await startInProcessApi(apiOpts);
  const { registry, client } = api;
  const logs: string[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  const plane: ControlPlane = {
    ctx: api.ctx, registry, client, logs,
    async startController(name, opts = {}) {
      const loops = startControlLoops({ client, own: (c) => stops.push(() => c.stop()) }, { ...opts, controllers: [name], log: (l) => logs.push(l) });
      await loops.informers.waitForSync();
    },
    create: (obj) => client.create(resourceOf(obj), obj, { namespace: obj.metadata?.namespace }),
    get: (like, name, namespace) => client.get(resourceOf(like), name, namespace),
    find: <T extends ApiObject>(like: Kinded, name: string, namespace?: string) => client.get<T>(resourceOf(like), name, namespace).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    }),
    async list<T extends ApiObject>(like: Kinded, namespace?: string, labelSelector?: string) {
      return (await client.list<T>(resourceOf(like), { namespace, labelSelector })).items;
    },
    patch: (like, name, namespace, body) => client.patch(resourceOf(like), name, body, 'merge', { namespace }),
    patchStatus: (like, name, namespace, status) => client.patch(resourceOf(like), name, { status }, 'merge', { namespace, subresource: 'status' }),
    async delete(like, name, opts = {}) {
      await client.delete(resourceOf(like), name, opts);
    },
    async events(name, namespace) {
      const l = await client.list(resourceOf({ apiVersion: 'v1', kind: 'Event' }), { namespace, fieldSelector: `involvedObject.name=${name}` });
      return (l.items as Array<KObject & RecordedEvent>)
        .sort((a, b) => Number(a.metadata?.resourceVersion) - Number(b.metadata?.resourceVersion));
    },
    async eventsIncluding(name, namespace, wanted, show = (e) => e.reason ?? '') {
      let seen: RecordedEvent[] = [];
      try {
        return await waitFor(async () => {
          seen = await plane.events(name, namespace);
          const shown = new Set(seen.map(show));
          return wanted.every((w) => shown.has(w)) ? seen : undefined;
        }, `events about ${name} including ${wanted.join(', ')}`, 5_000);
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}; there were: ${seen.map(show).join(' | ') || 'none'}`);
      }
    },
    record<T extends ApiObject>(like: Kinded, namespace?: string) {
      const seen: Array<WatchEvent<T>> = [];
      const w = client.watch<T>(resourceOf(like), { namespace }, (ev) => seen.push(ev), () => undefined);
      stops.push(() => w.stop());
      return seen;
    },
    async waitFor(fn, what, timeoutMs = 5_000) {
      try {
        return await waitFor(fn, what, timeoutMs);
      } catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)}${logs.length ? `\ncontroller log:\n${logs.slice(-20).join('\n')}` : ''}`);
      }
    },
    async stop() {
      for (const s of stops.splice(0).reverse()) await s();
      api.close();
    },
  };
  return plane;
}

/**
 * For a test file: before each test a fresh control plane running `controller` alone (then
 * `setup`), stopped after it. Returns a handle that always reaches the current test's plane.
 */
export function controlPlaneEach(
  controller: string, opts: ControllerOptions = {}, setup?: (cp: ControlPlane) => Promise<unknown>, apiOpts: InProcessApiOptions = {},
): ControlPlane {
  return hooked({
    per: 'each',
    what: 'the control plane',
    start: async () => {
      const plane = await startControlPlane(apiOpts);
      await plane.startController(controller, opts);
      await setup?.(plane);
      return plane;
    },
    stop: (plane) => plane.stop(),
  });
}
