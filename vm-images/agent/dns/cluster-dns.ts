// The node-local cluster DNS: answers for the kube-dns ClusterIP (10.96.0.10, UDP and TCP 53) on
// this node from informers of Services, EndpointSlices and Pods (no polling: an informer event marks
// the records stale and the next query rebuilds them, so a change is visible as soon as its watch
// event arrives), names the host machine host.flotilla.internal, and forwards everything else to
// the node's upstream resolvers.
import type { EndpointSlice, Pod, Service } from '../../../main/api/types';
import type { Informer } from '../../../main/client/cache/informer';
import type { ApiClient } from '../../../main/client/types';
import { R } from '../../../main/client/refs';
import type { Exec } from '../proxy/exec';
import { agentInformer } from '../sync/informers';
import type { AnswerContext } from './answer';
import { Forwarder } from './forward';
import { HOST_NAME, hostAddress } from './host-address';
import { setUpDnsAddress } from './node-setup';
import { responder, type Responder } from './respond';
import { listenDns, type DnsListener } from './server';
import { buildZone } from './zone';

export interface ClusterDnsOptions {
  client: ApiClient;
  exec: Exec;
  log: (line: string) => void;
  /** The cluster DNS address answered for (kube-dns's ClusterIP). */
  dnsIP: string;
  domain: string;
  /** The node's resolv.conf: its nameservers are the upstreams. */
  resolvConf: string;
  /** AgentConfig.hostAddress, if set. */
  hostAddress?: string;
  services: Informer<Service>;
  slices: Informer<EndpointSlice>;
  /** A cluster-wide pod informer started by its owner (the agent shares it); default: one of its own. */
  pods?: Informer<Pod>;
  backoffMs?: number;
  /** Where to listen instead of dnsIP:53 on the node (tests, benchmarks): no node setup then. */
  listen?: { address: string; port: number };
  /** Upstreams' port (default 53). */
  upstreamPort?: number;
}

export class ClusterDns {
  readonly respond: Responder;
  private readonly pods: Informer<Pod>;
  private readonly ownPods: boolean;
  private readonly hosts = new Map<string, string>();
  private readonly disposers: Array<() => void> = [];
  private listener?: DnsListener;
  private ctx?: AnswerContext;
  private serial = Math.floor(Date.now() / 1000);

  constructor(private readonly o: ClusterDnsOptions) {
    this.ownPods = !o.pods;
    this.pods = o.pods ?? agentInformer<Pod>(o.client, R.pods, { backoffMs: o.backoffMs, onError: (e) => o.log(`dns pods watch: ${e instanceof Error ? e.message : String(e)}`) });
    const stale = (): void => { this.ctx = undefined; };
    for (const inf of [o.services, o.slices, this.pods] as Array<Informer<Service | EndpointSlice | Pod>>) {
      this.disposers.push(inf.addHandler({ add: stale, update: stale, delete: stale }));
    }
    const forwarder = new Forwarder({ resolvConf: o.resolvConf, exclude: [o.dnsIP], port: o.upstreamPort });
    this.respond = responder(() => this.context(), forwarder);
  }

  /** The records as they are now (rebuilt after any change). */
  context(): AnswerContext {
    if (!this.ctx) {
      const zone = buildZone({ domain: this.o.domain, services: this.o.services.list(), slices: this.o.slices.list(), pods: this.pods.list() });
      this.ctx = { zone, hosts: this.hosts, dnsIP: this.o.dnsIP, serial: ++this.serial };
    }
    return this.ctx;
  }

  /** Starts its own pod watch, if any, and finds the host's address; the other informers are started by their owners. */
  start(): void {
    if (this.ownPods) this.disposers.push(this.pods.start());
    void hostAddress(this.o.hostAddress).then((ip) => {
      if (!ip) { this.o.log(`dns: no address for ${HOST_NAME}`); return; }
      this.hosts.set(HOST_NAME, ip);
      this.o.log(`dns: ${HOST_NAME} is ${ip}`);
    });
  }

  /** Resolves when services, slices and pods have been listed. */
  async synced(): Promise<void> {
    await Promise.all([this.o.services.hasSynced, this.o.slices.hasSynced, this.pods.hasSynced]);
  }

  /** Binds the server (on the node: puts the address on loopback first); throws when it cannot (the caller retries). */
  async listen(): Promise<DnsListener> {
    if (this.listener) return this.listener;
    const at = this.o.listen ?? { address: this.o.dnsIP, port: 53 };
    if (!this.o.listen) await setUpDnsAddress(this.o.exec, this.o.dnsIP);
    this.listener = await listenDns(at.address, at.port, this.respond, (e) => this.o.log(`dns: ${e instanceof Error ? e.message : String(e)}`));
    this.o.log(`dns: answering on ${at.address}:${this.listener.port} (udp, tcp)`);
    return this.listener;
  }

  async stop(): Promise<void> {
    for (const d of this.disposers.splice(0)) d();
    await this.listener?.close();
    this.listener = undefined;
  }
}
