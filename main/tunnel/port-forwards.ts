// The port forwards the control plane keeps open for the UI: each a listener on 127.0.0.1 (port-listener.ts) whose
// every connection goes to a pod picked then (forward-targets.ts: a Service's ready endpoint, round robin, or the
// pod and, once it is gone, its controller's ready pods) through a pod dialer — the agents' tunnels here, the API's
// pods/portforward for other clusters. They belong to this process, not to a UI session: a reload lists them again,
// and they end with the process (`close`). Informers of Services, EndpointSlices and pods start with the first forward.
import type { ForwardTarget, PortForward } from '../api/port-forward';
import type { EndpointSlice, Service } from '../api/types';
import type { Informer } from '../client/cache/informer';
import { BY_CONTROLLER, BY_NAMESPACE, SharedInformers } from '../client/cache/shared-informers';
import { keyFor } from '../client/refs';
import type { ApiClient } from '../client/types';
import { RoundRobin } from './endpoints';
import { controllerOf, forwardTargets, type TargetLookups } from './forward-targets';
import { ForwardRefused, nearbyPorts, preferredLocalPort, refusal } from './local-port';
import type { PodDialer } from './pod-tunnel';
import { listenPort, type PortListener } from './port-listener';

export interface OpenForwardRequest {
  target: ForwardTarget;
  /** Exactly this port on 127.0.0.1 (refused when taken); unset: the forward to the same target if there is one, else a port picked. */
  localPort?: number;
  /** The app (catalog deploy) this forward was made for. */
  app?: string;
}

export interface PortForwardsOptions {
  log: (l: string) => void;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long changes are gathered before listeners hear of them (ms; default 200). */
  settleMs?: number;
  /** How long a forward waits for the first lists of Services, EndpointSlices and pods (ms; default 20,000). */
  syncMs?: number;
}

interface Entry {
  target: ForwardTarget;
  app?: string;
  controller?: string;
  listener: PortListener;
  /** Why the last connection could not reach its pod (cleared once one does). */
  failure: Failure;
}

interface Failure { problem?: string }

const describe = (t: ForwardTarget): string => `${t.kind} ${t.namespace}/${t.name} port ${t.port}`;
const isPort = (p: unknown): p is number => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
const sameTarget = (a: ForwardTarget, b: ForwardTarget): boolean => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name && a.port === b.port;

/** The request's target, checked: a clear refusal for anything malformed. */
export function checkTarget(t: unknown): ForwardTarget {
  const o = (t ?? {}) as Partial<Record<keyof ForwardTarget, unknown>>;
  if (o.kind !== 'service' && o.kind !== 'pod') throw new ForwardRefused(422, 'Invalid', 'target.kind must be "service" or "pod"');
  if (typeof o.namespace !== 'string' || !o.namespace) throw new ForwardRefused(422, 'Invalid', 'target.namespace must be a non-empty string');
  if (typeof o.name !== 'string' || !o.name) throw new ForwardRefused(422, 'Invalid', 'target.name must be a non-empty string');
  if (!isPort(o.port)) throw new ForwardRefused(422, 'Invalid', 'target.port must be a whole number from 1 to 65535');
  return { kind: o.kind, namespace: o.namespace, name: o.name, port: o.port };
}

export class PortForwards {
  private readonly host: string;
  private readonly entries = new Map<number, Entry>();
  private readonly watchers = new Set<(forwards: PortForward[]) => void>();
  private readonly rr = new RoundRobin();
  private informers?: { shared: SharedInformers; slices: Informer<EndpointSlice>; stop: () => void };
  /** The informers' last complaint (a list refused by another cluster's RBAC, say), for a forward that cannot start. */
  private informerError = '';
  private settle?: ReturnType<typeof setTimeout>;
  private lastSent = '';
  private closed = false;

  constructor(private readonly client: ApiClient, private readonly dial: PodDialer, private readonly o: PortForwardsOptions) {
    this.host = o.host ?? '127.0.0.1';
  }

  list(): PortForward[] {
    return [...this.entries].sort(([a], [b]) => a - b).map(([port, e]) => this.view(port, e));
  }

  /** Hears the list whenever it changes (a forward made or stopped, its pods' readiness); returns the disposer. */
  onChange(fn: (forwards: PortForward[]) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  async open(req: OpenForwardRequest): Promise<PortForward> {
    if (this.closed) throw new ForwardRefused(503, 'ServiceUnavailable', 'the control plane is stopping');
    const target = checkTarget(req.target);
    if (req.localPort !== undefined && !isPort(req.localPort)) throw new ForwardRefused(422, 'Invalid', 'localPort must be a whole number from 1 to 65535');
    if (req.localPort === undefined) {
      const same = [...this.entries].find(([, e]) => sameTarget(e.target, target));
      if (same) return this.view(same[0], same[1]);
    }
    const look = await this.lookups();
    const controller = await this.checkExists(target, look);
    const failure: Failure = {};
    const listener = req.localPort !== undefined
      ? await this.listenOn(req.localPort, target, look, failure, controller)
      : await this.listenAny(target, look, failure, controller);
    const entry: Entry = { target, listener, failure, ...(req.app ? { app: req.app } : {}), ...(controller ? { controller } : {}) };
    this.entries.set(listener.port, entry);
    this.o.log(`port forward 127.0.0.1:${listener.port} → ${describe(target)}`);
    this.changed(0);
    return this.view(listener.port, entry);
  }

  /** Stops the forward on `localPort`; false when there is none. */
  async stop(localPort: number): Promise<boolean> {
    const e = this.entries.get(localPort);
    if (!e) return false;
    this.entries.delete(localPort);
    await e.listener.close();
    this.changed(0);
    return true;
  }

  /** Stops the forwards made for an app (it was deleted). */
  async stopApp(namespace: string, app: string): Promise<void> {
    for (const [port, e] of [...this.entries]) if (e.app === app && e.target.namespace === namespace) await this.stop(port);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.settle);
    await Promise.all([...this.entries.values()].map((e) => e.listener.close()));
    this.entries.clear();
    this.informers?.stop();
    this.watchers.clear();
  }

  private view(localPort: number, e: Entry): PortForward {
    const t = this.informers ? forwardTargets(e.target, this.look(), e.controller) : { problem: 'starting' };
    return {
      id: String(localPort), target: e.target, localPort, url: `http://${this.host}:${localPort}/`,
      ...(e.app ? { app: e.app } : {}),
      ready: 'targets' in t ? t.targets.length : 0,
      ...('problem' in t ? { problem: t.problem } : e.failure.problem ? { problem: e.failure.problem } : {}),
    };
  }

  private look(): TargetLookups {
    const { shared, slices } = this.informers!;
    return {
      service: (ns, name) => shared.services.get(keyFor(ns, name)),
      slices: (ns) => slices.byIndex(BY_NAMESPACE, ns),
      pod: (ns, name) => shared.pods.get(keyFor(ns, name)),
      podsOfController: (uid) => shared.pods.byIndex(BY_CONTROLLER, uid),
    };
  }

  /** The lookups, once the informers (started by the first forward) have synced. */
  private async lookups(): Promise<TargetLookups> {
    if (!this.informers) {
      const shared = new SharedInformers(this.client, (l) => { this.informerError = l; this.o.log(l); });
      const slices = shared.informer('endpointslices') as unknown as Informer<EndpointSlice>;
      const onChange = { add: () => this.changed(), update: () => this.changed(), delete: () => this.changed() };
      shared.pods.addHandler(onChange);
      slices.addHandler(onChange);
      shared.services.addHandler({ ...onChange, delete: (svc) => this.serviceGone(svc) });
      this.informers = { shared, slices, stop: shared.start() };
    }
    const ms = this.o.syncMs ?? 20_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ForwardRefused(503, 'ServiceUnavailable',
        `cannot list the cluster's Services, EndpointSlices and pods (waited ${ms / 1000} s)${this.informerError ? `: ${this.informerError}` : ''}`)), ms);
    });
    try {
      await Promise.race([this.informers.shared.waitForSync(), late]);
    } finally {
      clearTimeout(timer);
    }
    return this.look();
  }

  /** A forward made for an app ends with the app's Service; one made by hand stays and says the Service is gone. */
  private serviceGone(svc: Service): void {
    const ns = svc.metadata?.namespace ?? 'default';
    for (const [port, e] of this.entries) {
      if (e.app && e.target.kind === 'service' && e.target.namespace === ns && e.target.name === svc.metadata?.name) void this.stop(port);
    }
    this.changed();
  }

  /** Refuses a target that does not exist (Kubernetes' NotFound words) or a Service port it does not have; a pod's controller uid. */
  private async checkExists(t: ForwardTarget, look: TargetLookups): Promise<string | undefined> {
    if (t.kind === 'service') {
      const svc = look.service(t.namespace, t.name);
      if (!svc) throw new ForwardRefused(404, 'NotFound', `services "${t.name}" not found`);
      if (!(svc.spec?.ports ?? []).some((p) => p.port === t.port)) throw new ForwardRefused(422, 'Invalid', `Service ${t.name} does not have a service port ${t.port}`);
      return undefined;
    }
    const pod = look.pod(t.namespace, t.name);
    if (!pod) throw new ForwardRefused(404, 'NotFound', `pods "${t.name}" not found`);
    return controllerOf(pod);
  }

  private listenOn(port: number, target: ForwardTarget, look: TargetLookups, failure: Failure, controller?: string): Promise<PortListener> {
    const holder = this.entries.get(port);
    const held = new Set(this.entries.keys());
    if (holder) return refusal(undefined, port, this.host, held, describe(holder.target)).then((r) => Promise.reject(r));
    return this.listen(port, target, look, failure, controller).catch(async (e: unknown) => Promise.reject(await refusal(e, port, this.host, held)));
  }

  /** The preferred port or the next free ones, else any free port. */
  private async listenAny(target: ForwardTarget, look: TargetLookups, failure: Failure, controller?: string): Promise<PortListener> {
    for (const port of nearbyPorts(preferredLocalPort(target.port))) {
      if (this.entries.has(port)) continue;
      const l = await this.listen(port, target, look, failure, controller).catch(() => undefined);
      if (l) return l;
    }
    return this.listen(0, target, look, failure, controller);
  }

  private listen(port: number, target: ForwardTarget, look: TargetLookups, failure: Failure, controller?: string): Promise<PortListener> {
    const key = `${describe(target)}`;
    return listenPort({
      host: this.host, port, dial: this.dial, log: this.o.log, label: 'port forward',
      // The last connection's failure shows in the list until a connection gets through.
      report: (problem) => {
        if (failure.problem === problem) return;
        failure.problem = problem;
        this.changed(0);
      },
      pick: () => {
        const r = forwardTargets(target, look, controller);
        return 'problem' in r ? r : this.rr.pick(key, r.targets);
      },
    });
  }

  /** Tells the watchers, at most once per settle time (at once for `0`), when what they would see is different. */
  private changed(settleMs = this.o.settleMs ?? 200): void {
    if (this.closed || this.watchers.size === 0) return;
    if (this.settle && settleMs > 0) return;
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      this.settle = undefined;
      const list = this.list();
      const text = JSON.stringify(list);
      if (text === this.lastSent) return;
      this.lastSent = text;
      for (const w of this.watchers) w(list);
    }, settleMs);
  }
}
