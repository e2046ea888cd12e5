// kube-proxy's half of the agent: watches Services, EndpointSlices and Nodes; feeds the proxier
// (iptables), keeps host-gw routes to the other nodes' podCIDRs, and reports this node's podCIDR
// (set by the control plane's IPAM) so the pod network can be configured.
import type { EndpointSlice, Node, Service } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import type { Informer } from '../../../main/client/cache/informer';
import { R } from '../../../main/client/refs';
import { podRoutesFromNodes, syncPodRoutes } from '../network/routes';
import { BoundedRunner } from '../proxy/bounded-runner';
import { buildModel } from '../proxy/build-model';
import type { Exec } from '../proxy/exec';
import { Proxier, type SyncResult } from '../proxy/proxier';
import { ProxyJourney } from './proxy-journey';
import { agentInformer } from '../sync/informers';
import { ServiceHealthServer } from './health-check';
import { ConntrackCleaner } from '../proxy/conntrack';
import type { ProxyModel } from '../proxy/model';

export interface ServiceSyncOptions {
  client: ApiClient;
  exec: Exec;
  nodeName: string;
  nodeIP: string;
  clusterCIDR: string;
  log: (line: string) => void;
  /** Called when this node's spec.podCIDR is first seen or changes. */
  onPodCIDR: (cidr: string) => void;
  minSyncIntervalMs?: number;
  backoffMs?: number;
  /** Each successful proxier sync (the agent's kubeproxy_* metrics). */
  onProxySync?: (result: SyncResult) => void;
}

export class ServiceSync {
  readonly proxier: Proxier;
  /** healthCheckNodePorts of externalTrafficPolicy Local load balancers. */
  readonly health: ServiceHealthServer;
  /** Also read by the node's cluster DNS (dns/cluster-dns.ts). */
  readonly services: Informer<Service>;
  readonly slices: Informer<EndpointSlice>;
  private readonly nodes: Informer<Node>;
  private readonly routes: BoundedRunner;
  private readonly disposers: Array<() => void> = [];
  private podCIDR = '';
  /** The pod routes last written (podRoutesFromNodes as JSON); undefined until a sync succeeds. */
  private routesApplied: string | undefined;
  /** The last model handed to the proxier (what its next sync writes). */
  private model?: ProxyModel;
  private readonly journey: ProxyJourney;

  constructor(private readonly o: ServiceSyncOptions) {
    const err = (what: string) => (e: unknown) => o.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    const conntrack = new ConntrackCleaner(o.exec, o.log);
    this.journey = new ProxyJourney(o.nodeName);
    this.proxier = new Proxier({
      exec: o.exec, minSyncIntervalMs: o.minSyncIntervalMs, onError: err('proxier'),
      onSync: (r) => {
        o.onProxySync?.(r);
        this.journey.synced();
        if (this.model) void conntrack.synced(this.model).catch(err('conntrack'));
      },
    });
    this.health = new ServiceHealthServer({ proxyHealthy: () => this.proxier.lastSync !== undefined, log: o.log });
    const changed = (): void => this.updateProxy();
    const onAny = (f: () => void) => ({ add: f, update: f, delete: f });
    this.services = agentInformer<Service>(o.client, R.services, { backoffMs: o.backoffMs, onError: err('services watch') });
    this.slices = agentInformer<EndpointSlice>(o.client, R.endpointslices, { backoffMs: o.backoffMs, onError: err('endpointslices watch') });
    this.nodes = agentInformer<Node>(o.client, R.nodes, { backoffMs: o.backoffMs, onError: err('nodes watch') });
    this.services.addHandler(onAny(changed));
    this.slices.addHandler(onAny(changed));
    this.nodes.addHandler(onAny(() => this.nodesChanged()));
    void Promise.all([this.services.hasSynced, this.slices.hasSynced]).then(changed);
    void this.nodes.hasSynced.then(() => this.nodesChanged());
    this.routes = new BoundedRunner(() => this.syncRoutes(), o.minSyncIntervalMs ?? 1000, err('routes'));
  }

  /** Starts the watches; returns the disposer (rules and routes stay in place for the pods). */
  start(): () => void {
    this.disposers.push(this.services.start(), this.slices.start(), this.nodes.start());
    return () => { void this.stop(); };
  }

  async stop(): Promise<void> {
    for (const d of this.disposers.splice(0)) d();
    this.health.stop();
    await this.routes.stop();
    await this.proxier.stop();
  }

  /** Resolves once services and slices have been listed and the rules written. */
  async synced(): Promise<void> {
    await Promise.all([this.services.hasSynced, this.slices.hasSynced, this.nodes.hasSynced]);
    this.updateProxy();
    await this.proxier.syncNow();
  }

  private updateProxy(): void {
    if (!this.services.isSynced || !this.slices.isSynced) return;
    const slices = this.slices.list();
    const model = buildModel(this.services.list(), slices, this.o.nodeName, [this.o.nodeIP], this.o.clusterCIDR);
    this.journey.modelBuilt(slices);
    this.model = model;
    this.proxier.update(model);
    this.health.sync(model);
  }

  /** This node as the nodes watch has it, once it has listed (for the status reporter instead of a GET every 10 s). */
  watchedNode(): Node | undefined {
    return this.nodes.isSynced ? this.nodes.getByName(undefined, this.o.nodeName) : undefined;
  }

  private nodesChanged(): void {
    const self = this.nodes.getByName(undefined, this.o.nodeName);
    const cidr = self?.spec?.podCIDR ?? '';
    if (cidr && cidr !== this.podCIDR) {
      this.podCIDR = cidr;
      this.o.onPodCIDR(cidr);
    }
    // Nodes change with every status report: the routes are rewritten only when the other nodes' podCIDRs or addresses do.
    if (JSON.stringify(podRoutesFromNodes(this.nodes.list(), this.o.nodeName)) !== this.routesApplied) this.routes.request();
  }

  private async syncRoutes(): Promise<void> {
    const want = podRoutesFromNodes(this.nodes.list(), this.o.nodeName);
    this.routesApplied = undefined; // a failed sync is retried on the next node change
    const r = await syncPodRoutes(this.o.exec, want, { within: this.o.clusterCIDR });
    this.routesApplied = JSON.stringify(want);
    if (r.replaced.length || r.removed.length) this.o.log(`routes: +${r.replaced.join(',')} -${r.removed.join(',')}`);
  }
}
