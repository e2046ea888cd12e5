// kube-proxy's half of the agent: watches Services, EndpointSlices and Nodes; feeds the proxier
// (iptables), keeps host-gw routes to the other nodes' podCIDRs, and reports this node's podCIDR
// (set by the control plane's IPAM) so the pod network can be configured.
import type { EndpointSlice, Node, Service } from '../../../main/api/types';
import type { ApiClient } from '../../../main/client/types';
import { podRoutesFromNodes, syncPodRoutes } from '../network/routes';
import { BoundedRunner } from '../proxy/bounded-runner';
import { buildModel } from '../proxy/build-model';
import type { Exec } from '../proxy/exec';
import { Proxier } from '../proxy/proxier';
import { ENDPOINTSLICES, NODES, SERVICES } from '../node/resources';
import { Reflector } from '../sync/reflector';

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
}

export class ServiceSync {
  readonly proxier: Proxier;
  private readonly services: Reflector<Service>;
  private readonly slices: Reflector<EndpointSlice>;
  private readonly nodes: Reflector<Node>;
  private readonly routes: BoundedRunner;
  private readonly disposers: Array<() => void> = [];
  private podCIDR = '';

  constructor(private readonly o: ServiceSyncOptions) {
    const err = (what: string) => (e: unknown) => o.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    this.proxier = new Proxier({ exec: o.exec, minSyncIntervalMs: o.minSyncIntervalMs, onError: err('proxier') });
    const changed = (): void => this.updateProxy();
    this.services = new Reflector<Service>({ client: o.client, resource: SERVICES, backoffMs: o.backoffMs, onChange: changed, onSynced: changed, onError: err('services watch') });
    this.slices = new Reflector<EndpointSlice>({ client: o.client, resource: ENDPOINTSLICES, backoffMs: o.backoffMs, onChange: changed, onSynced: changed, onError: err('endpointslices watch') });
    this.routes = new BoundedRunner(() => this.syncRoutes(), o.minSyncIntervalMs ?? 1000, err('routes'));
    this.nodes = new Reflector<Node>({
      client: o.client, resource: NODES, backoffMs: o.backoffMs, onError: err('nodes watch'),
      onChange: () => this.nodesChanged(), onSynced: () => this.nodesChanged(),
    });
  }

  /** Starts the watches; returns the disposer (rules and routes stay in place for the pods). */
  start(): () => void {
    this.disposers.push(this.services.start(), this.slices.start(), this.nodes.start());
    return () => { void this.stop(); };
  }

  async stop(): Promise<void> {
    for (const d of this.disposers.splice(0)) d();
    await this.routes.stop();
    await this.proxier.stop();
  }

  /** Resolves once services and slices have been listed and the rules written. */
  async synced(): Promise<void> {
    await Promise.all([this.services.synced(), this.slices.synced(), this.nodes.synced()]);
    this.updateProxy();
    await this.proxier.syncNow();
  }

  private updateProxy(): void {
    if (!this.services.hasSynced() || !this.slices.hasSynced()) return;
    this.proxier.update(buildModel(this.services.items(), this.slices.items(), this.o.nodeName, [this.o.nodeIP], this.o.clusterCIDR));
  }

  private nodesChanged(): void {
    const self = this.nodes.get(undefined, this.o.nodeName);
    const cidr = self?.spec?.podCIDR ?? '';
    if (cidr && cidr !== this.podCIDR) {
      this.podCIDR = cidr;
      this.o.onPodCIDR(cidr);
    }
    this.routes.request();
  }

  private async syncRoutes(): Promise<void> {
    const r = await syncPodRoutes(this.o.exec, podRoutesFromNodes(this.nodes.items(), this.o.nodeName));
    if (r.replaced.length || r.removed.length) this.o.log(`routes: +${r.replaced.join(',')} -${r.removed.join(',')}`);
  }
}
