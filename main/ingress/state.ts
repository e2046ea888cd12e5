// What the ingress proxy knows, from informers: the Ingresses of its class (one whose controller is
// flotilla.dev/ingress, or none when the default class is one) as a route table rebuilt after any change, and the
// Services, EndpointSlices and Secrets its routes name.
import { FLOTILLA_INGRESS_CONTROLLER, ingressClassOf, isDefaultIngressClass } from '../api/ingress';
import { newestDefault } from '../api/newest-default';
import type { EndpointSlice, Ingress, IngressBackend, IngressClass, Secret, Service } from '../api/types';
import { BY_NAMESPACE, SharedInformers } from '../client/cache/shared-informers';
import type { Informer } from '../client/cache/informer';
import type { ApiClient } from '../client/types';
import { keyFor } from '../client/refs';
import { buildRoutes, type RouteTable } from './routing';
import { serviceTargets, slicesOfService, type Target, type Targets } from '../tunnel/endpoints';

export class IngressState {
  readonly informers: SharedInformers;
  readonly ingresses: Informer<Ingress>;
  private readonly classes: Informer<IngressClass>;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly secrets: Informer<Secret>;
  private table?: RouteTable;
  private readonly listeners = new Set<() => void>();

  constructor(client: ApiClient, log: (l: string) => void) {
    this.informers = new SharedInformers(client, log);
    this.ingresses = this.informers.informer('ingresses') as unknown as Informer<Ingress>;
    this.classes = this.informers.informer('ingressclasses') as unknown as Informer<IngressClass>;
    this.services = this.informers.services;
    this.slices = this.informers.informer('endpointslices') as unknown as Informer<EndpointSlice>;
    this.secrets = this.informers.informer('secrets') as unknown as Informer<Secret>;
    const changed = (): void => { this.table = undefined; for (const l of this.listeners) l(); };
    this.ingresses.addHandler({ add: changed, update: changed, delete: changed });
    this.classes.addHandler({ add: changed, update: changed, delete: changed });
  }

  /** Called after any change of Ingresses or IngressClasses. */
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Whether this proxy serves the Ingress (its class's controller is ours; no class: the default class is ours). */
  serves(ing: Ingress): boolean {
    const name = ingressClassOf(ing);
    const cls = name !== undefined ? this.classes.get(name) : this.defaultClass();
    return cls?.spec?.controller === FLOTILLA_INGRESS_CONTROLLER;
  }

  private defaultClass(): IngressClass | undefined {
    return newestDefault(this.classes.list(), isDefaultIngressClass);
  }

  routes(): RouteTable {
    return (this.table ??= buildRoutes(this.ingresses.list().filter((i) => this.serves(i))));
  }

  /** The ready pod endpoints of a route's backend, or why there are none. */
  targets(namespace: string, backend: IngressBackend): Targets {
    const svc = backend.service;
    if (!svc) return { problem: `backend ${backend.resource?.kind ?? 'resource'} "${backend.resource?.name ?? ''}" is not a Service (resource backends are not supported)` };
    const slices = slicesOfService(this.slices.byIndex(BY_NAMESPACE, namespace), svc.name);
    return serviceTargets(this.services.get(keyFor(namespace, svc.name)), slices, namespace, svc.name, svc.port ?? {});
  }

  /** Every pod port some EndpointSlice names now (the tunnels worth keeping). */
  liveTargets(): Target[] {
    const out: Target[] = [];
    for (const slice of this.slices.list()) {
      const namespace = slice.metadata?.namespace ?? '';
      for (const p of slice.ports ?? []) {
        for (const ep of slice.endpoints ?? []) {
          if (p.port && ep.targetRef?.kind === 'Pod' && ep.targetRef.name && ep.nodeName) {
            out.push({ namespace, pod: ep.targetRef.name, node: ep.nodeName, ip: ep.addresses[0] ?? '', port: p.port });
          }
        }
      }
    }
    return out;
  }

  /** Called after any change of EndpointSlices. */
  onSlicesChange(l: () => void): () => void {
    return this.slices.addHandler({ update: l, delete: l });
  }

  secret(namespace: string, name: string): Secret | undefined {
    return this.secrets.get(keyFor(namespace, name));
  }

  start(): () => void {
    return this.informers.start();
  }

  synced(): Promise<void> {
    return this.informers.waitForSync();
  }
}
