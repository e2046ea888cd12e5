// What the built-in gateway knows, from informers: while the Gateway API's CRDs (GatewayClass, Gateway, HTTPRoute;
// GRPCRoute, TCPRoute, TLSRoute, ReferenceGrant and BackendTLSPolicy when installed) are established, their objects —
// watched from when the definitions appear, let go when they are deleted — and the Namespaces, Services, Secrets and
// ConfigMaps its routes, listeners and policies name (shared with the ingress proxy). The plan (attach.ts) is rebuilt
// after any change.
import type { ConfigMap, CustomResourceDefinition, KObject, Namespace, Secret, Service } from '../../api/types';
import type { Informer } from '../../client/cache/informer';
import type { SharedInformers } from '../../client/cache/shared-informers';
import { keyFor } from '../../client/refs';
import type { ResourceRef } from '../../client/types';
import { planGateways, type AnyRoute, type GatewayPlan } from './attach';
import { planBackendTls, type BackendTls, type BackendTlsPlan } from './backend-tls';
import { hostSpecificity } from './hostnames';
import type { GatewayGrants } from './router';
import { GATEWAY_GROUP, type BackendTLSPolicy, type Gateway, type GatewayClass, type GRPCRoute, type HTTPRoute, type L4Route, type ReferenceGrant, type RouteKind } from './types';

const KINDS = ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies'] as const;
type Kind = (typeof KINDS)[number];
const REQUIRED: readonly Kind[] = ['gatewayclasses', 'gateways', 'httproutes'];
const ROUTE_PLURAL: Readonly<Record<RouteKind, Kind>> = { HTTPRoute: 'httproutes', GRPCRoute: 'grpcroutes', TCPRoute: 'tcproutes', TLSRoute: 'tlsroutes' };

/** The version the gateway reads a kind in: v1 when the definition serves it, else v1beta1 (older ReferenceGrants). */
function servedRef(crd: CustomResourceDefinition | undefined, plural: Kind): ResourceRef | undefined {
  if (!crd || !(crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True')) return undefined;
  const served = new Set(crd.spec.versions.filter((v) => v.served).map((v) => v.name));
  const version = ['v1', 'v1beta1'].find((v) => served.has(v));
  return version ? { group: GATEWAY_GROUP, version, plural, namespaced: plural !== 'gatewayclasses' } : undefined;
}

export class GatewayState {
  private readonly crds: Informer<CustomResourceDefinition & KObject>;
  private readonly namespaces: Informer<Namespace>;
  private readonly services: Informer<Service>;
  private readonly secrets: Informer<Secret>;
  /** Read once BackendTLSPolicies are served (their CA bundles); the proxy does not cache ConfigMaps before. */
  private configMaps?: Informer<ConfigMap>;
  private readonly watched = new Map<Kind, { ref: ResourceRef; informer: Informer<KObject>; off: () => void }>();
  private plan?: GatewayPlan;
  private tlsPlan?: BackendTlsPlan;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly informers: SharedInformers) {
    this.crds = informers.informer('customresourcedefinitions') as unknown as Informer<CustomResourceDefinition & KObject>;
    this.namespaces = informers.namespaces;
    this.services = informers.services;
    this.secrets = informers.informer('secrets') as unknown as Informer<Secret>;
    const crdsChanged = (): void => this.follow();
    this.crds.addHandler({ add: crdsChanged, update: crdsChanged, delete: crdsChanged });
    const changed = { add: () => this.changed(), update: () => this.changed(), delete: () => this.changed() };
    this.namespaces.addHandler(changed);
    this.services.addHandler(changed);
    this.secrets.addHandler(changed);
  }

  /** Starts reading ConfigMaps (BackendTLSPolicies' CA bundles; a change matters only while a policy exists). */
  private readConfigMaps(): void {
    if (this.configMaps) return;
    const configMaps = this.informers.informer('configmaps') as unknown as Informer<ConfigMap>;
    this.configMaps = configMaps;
    const caChanged = (): void => { if (this.list('backendtlspolicies').length) this.changed(); };
    configMaps.addHandler({ add: caChanged, update: caChanged, delete: caChanged });
    void configMaps.hasSynced.then(() => this.changed());
  }

  /** Starts or stops the informers of the Gateway API kinds as their definitions come and go. */
  private follow(): void {
    for (const kind of KINDS) {
      const ref = servedRef(this.crds.get(`${kind}.${GATEWAY_GROUP}`), kind);
      const have = this.watched.get(kind);
      if (have && (!ref || ref.version !== have.ref.version)) {
        have.off();
        this.informers.release(have.ref);
        this.watched.delete(kind);
        this.changed();
      }
      if (ref && !this.watched.has(kind)) {
        const informer = this.informers.forResource(ref);
        const off = informer.addHandler({ add: () => this.changed(), update: () => this.changed(), delete: () => this.changed() });
        this.watched.set(kind, { ref, informer, off });
        if (kind === 'backendtlspolicies') this.readConfigMaps();
        void informer.hasSynced.then(() => { if (this.watched.get(kind)?.informer === informer) this.changed(); });
      }
    }
  }

  /** Whether the Gateway API's required kinds are served, watched and listed (so absent objects are really absent). */
  get installed(): boolean {
    return REQUIRED.every((k) => this.watched.get(k)?.informer.isSynced === true);
  }

  private list<T>(kind: Kind): T[] {
    return (this.watched.get(kind)?.informer.list() ?? []) as unknown as T[];
  }

  private changed(): void {
    this.plan = undefined;
    this.tlsPlan = undefined;
    for (const l of this.listeners) l();
  }

  /** Tells the listeners something outside the informers changed (a listener port opened or failed). */
  poke(): void {
    this.changed();
  }

  /** Called after any change the plan depends on. */
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  current(): GatewayPlan {
    return (this.plan ??= planGateways({
      classes: this.installed ? this.list<GatewayClass>('gatewayclasses') : [],
      gateways: this.installed ? this.list<Gateway>('gateways') : [],
      routes: this.installed ? this.list<HTTPRoute>('httproutes') : [],
      grpcRoutes: this.installed ? this.list<GRPCRoute>('grpcroutes') : [],
      tcpRoutes: this.installed ? this.list<L4Route>('tcproutes') : [],
      tlsRoutes: this.installed ? this.list<L4Route>('tlsroutes') : [],
      grants: this.list<ReferenceGrant>('referencegrants'),
      namespace: (name) => this.namespaces.get(name),
      service: (ns, name) => this.services.get(keyFor(ns, name)),
      secret: (ns, name) => this.secrets.get(keyFor(ns, name)),
    }));
  }

  /** The BackendTLSPolicies applied: which takes each Service port, and their status. */
  backendTls(): BackendTlsPlan {
    return (this.tlsPlan ??= planBackendTls({
      policies: this.installed ? this.list<BackendTLSPolicy>('backendtlspolicies') : [],
      attachments: this.current().attachments,
      service: (ns, name) => this.services.get(keyFor(ns, name)),
      configMap: (ns, name) => this.configMaps?.get(keyFor(ns, name)),
    }));
  }

  /** How the gateway connects to a Service port's pods: the BackendTLSPolicy taking it, or undefined (plain TCP). */
  tlsFor(namespace: string, service: string, port: number): BackendTls | undefined {
    if (!this.watched.has('backendtlspolicies')) return undefined;
    const portName = this.services.get(keyFor(namespace, service))?.spec?.ports?.find((p) => p.port === port)?.name;
    return this.backendTls().forPort(namespace, service, portName);
  }

  /** The ref BackendTLSPolicies' status is written through, once they and the ConfigMaps they name are listed. */
  policiesRef(): ResourceRef | undefined {
    return this.watched.get('backendtlspolicies')?.informer.isSynced && this.configMaps?.isSynced ? this.refOf('backendtlspolicies') : undefined;
  }

  /** What the router checks a backendRef against. */
  grants(): GatewayGrants {
    return { grants: this.list<ReferenceGrant>('referencegrants'), serviceExists: (ns, name) => Boolean(this.services.get(keyFor(ns, name))) };
  }

  /** The Secret of the most specific HTTPS listener hostname matching a server name (SNI). */
  certFor(serverName: string): { namespace: string; secretName: string } | undefined {
    let best: { namespace: string; secretName: string; s: number } | undefined;
    for (const c of this.installed ? this.current().certs : []) {
      const s = hostSpecificity(c.hostname, serverName.toLowerCase());
      if (s >= 0 && (!best || s > best.s)) best = { namespace: c.namespace, secretName: c.name, s };
    }
    return best && { namespace: best.namespace, secretName: best.secretName };
  }

  classes(): GatewayClass[] { return this.list<GatewayClass>('gatewayclasses'); }
  /** The stored routes of a kind, and the ref their status is written through (undefined while not installed). */
  routesOf(kind: RouteKind): { ref?: ResourceRef; routes: AnyRoute[] } {
    const plural = ROUTE_PLURAL[kind];
    return { ref: this.refOf(plural), routes: this.list<AnyRoute>(plural) };
  }

  /** Whether every informer the gateway uses now has listed once. */
  async synced(): Promise<void> {
    await this.crds.hasSynced;
    await Promise.all([...this.watched.values()].map((w) => w.informer.hasSynced));
  }

  /** The Gateway API refs being watched now (for status writes). */
  refOf(kind: Kind): ResourceRef | undefined {
    return this.watched.get(kind)?.ref;
  }

  stop(): void {
    for (const w of this.watched.values()) { w.off(); this.informers.release(w.ref); }
    this.watched.clear();
  }
}
