// The node agent (kubelet + kube-proxy): waits for containerd, imports the node's images, serves
// logs/exec/port-forward/stats (server/), registers the Node, renews its Lease, reports its status,
// configures the pod network once the node has a podCIDR, programs services, and syncs the pods bound to it. Runs as `node agent.js --config FILE`
// (main.ts) or in-process (tests). stop() leaves pods, service rules and routes in place, and removes the
// NetworkPolicy chains (netpol/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, Pod } from '../../main/api/types';
import type { Informer } from '../../main/client/cache/informer';
import { HttpClient } from '../../main/client/http';
import { R } from '../../main/client/refs';
import type { AgentConfig } from '../../main/protocol/agent-config';
import { CriClient } from './cri/client';
import { applyNodeSysctls } from './network/sysctls';
import { buildNodeStatus, type NodeStatusSource } from './node/node-status';
import { importNodeImages, type NodeImages } from './node/image-import';
import { startLeaseRenewer } from './node/lease';
import { startAgentServer } from './server';
import { kubeletConfigz } from './server/configz';
import { startTracing } from '../../main/protocol/tracing/tracing';
import { nodeLabels, registerNode } from './node/register';
import { KUBELET_VERSION } from './node/resources';
import { NodeStatusReporter } from './node/status-reporter';
import { pause, rfc3339 } from './node/time';
import { PodManager } from './pods/manager';
import { ClusterDns } from './dns/cluster-dns';
import { DEFAULT_CLUSTER_DNS, DEFAULT_CLUSTER_DOMAIN } from './dns/defaults';
import { DEFAULT_RESOLV_CONF } from './dns/resolv-conf';
import { NetpolSync } from './netpol/netpol-sync';
import { localExec, type Exec } from './proxy/exec';
import { setUpPodNetwork } from './services/pod-network';
import { ServiceSync } from './services/service-sync';
import { cgroupCpuLimit } from './stats/cgroup-files';
import { StatsCollector } from './stats/collector';
import { CadvisorSource } from './stats/cadvisor-source';
import type { StatsSummary } from '../../main/protocol/stats-summary';
import { OnDemandStats } from './stats/on-demand';
import { agentInformer } from './sync/informers';
import { apiPullSecretLookup, apiRefLookup } from './sync/ref-lookup';
import { apiRuntimeHandler } from './sync/runtime-handler';
import { registryAuthFor } from './pods/registry-auth';
import { mirrorRewriter } from './pods/mirror-rewrite';
import { ObjectWatches } from './sync/object-watches';
import { PodSync } from './sync/pod-sync';
import { apiTokenRequester } from './sync/token-request';
import { startLocalVolumes } from './volumes/local-volumes';
import { VolumeManager } from './volumes/manager';
import { TokenManager } from './volumes/service-account-token';
import { KubeletAuth } from './server/kubelet-auth';
import { ApiServerForwarder } from './services/apiserver-forwarder';
import { EventRecorder } from '../../main/client/record/recorder';
import { createAgentMetrics, type AgentMetrics } from './metrics/agent-metrics';

export interface AgentOptions {
  /** Runs the node's network commands (iptables, ip, sysctl); default: directly. Tests pass a netns runner. */
  exec?: Exec;
  log?: (line: string) => void;
  /** How often each pod is reconciled (default 1 s). */
  podSyncIntervalMs?: number;
  /** Proxier and route rate limit (default 1 s). */
  proxyMinSyncIntervalMs?: number;
  /** NetworkPolicy sync rate limit (default 250 ms). */
  netpolMinSyncIntervalMs?: number;
  /** First reconnect delay when the API or containerd is unreachable (default 200 ms, doubling to 10 s). */
  reconnectBackoffMs?: number;
  /** The stats scrape period (default 10 s): GET /stats/summary within half of it answers the last sample. */
  statsIntervalMs?: number;
  /** Node status heartbeat when nothing changes (default 5 min, the kubelet's nodeStatusReportFrequency). */
  statusHeartbeatMs?: number;
  /** The ctr binary for image imports (default: ctr on PATH). */
  ctrBin?: string;
  /** How long the image tarballs no pod asked for wait once the sandbox image is in (default 10 s: REST_AFTER_MS). */
  imagesRestAfterMs?: number;
}

function portOf(listenAddress: string): number {
  const port = Number(listenAddress.slice(listenAddress.lastIndexOf(':') + 1));
  return Number.isInteger(port) && port > 0 ? port : 10250;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Agent {
  readonly client: HttpClient;
  readonly cri: CriClient;
  readonly pods: PodManager;
  readonly stats: StatsCollector;
  /** GET /metrics: the kubelet's and kube-proxy's figures. */
  readonly metrics: AgentMetrics;
  /** The ConfigMaps and Secrets pods' volumes use, watched while they do. */
  private readonly objects: ObjectWatches;
  private readonly exec: Exec;
  private readonly log: (line: string) => void;
  private readonly abort = new AbortController();
  private readonly disposers: Array<() => void | Promise<void>> = [];
  private podSync?: PodSync;
  private services?: ServiceSync;
  private reporter?: NodeStatusReporter;
  private networkReady = false;
  private podCIDR = '';
  private networkWaiters: Array<() => void> = [];
  private statsOnDemand?: OnDemandStats;
  /** The port the agent's server (logs, exec, port-forward, /stats/summary) listens on; 0 before start. */
  serverPort = 0;
  readonly startTime = rfc3339();
  /** The node's image tarballs going in (from start). */
  private images?: NodeImages;

  constructor(readonly config: AgentConfig, private readonly opts: AgentOptions = {}) {
    this.exec = opts.exec ?? localExec;
    this.log = opts.log ?? ((line) => console.log(`${new Date().toISOString()} ${line}`));
    this.client = new HttpClient({
      server: config.apiServer, token: config.token, caCertPem: config.caCertPem,
      userAgent: `flotilla-agent/${KUBELET_VERSION} (${config.nodeName})`,
      requestTimeoutMs: 30_000, // a tunnel that dies silently must not hang the lease or status loops
      // HTTP/2, as the kubelet's client-go: one connection for every call and watch (≈ 1 MB less on an idle node than a
      // connection per watch), pinged every 30 s and replaced when a ping or the TLS handshake goes unanswered.
      http2: true,
    });
    this.cri = new CriClient(config.containerdSocket);
    this.metrics = createAgentMetrics(config.nodeName, this.cri);
    this.objects = new ObjectWatches(this.client, {
      backoffMs: opts.reconnectBackoffMs, onError: (err) => this.log(`volume objects watch: ${message(err)}`),
      onChange: (uids) => this.pods.kick(uids),
    });
    const volumes = new VolumeManager({
      podsDir: join(config.stateDir, 'pods'), objects: this.objects, tokens: new TokenManager(apiTokenRequester(this.client)), client: this.client,
    });
    this.pods = new PodManager(this.cri, {
      volumes,
      logDir: config.logDir,
      cgroupParent: config.cgroupParent || undefined,
      nodeCpuLimit: config.cgroupParent ? cgroupCpuLimit(config.cgroupParent) : undefined,
      hostIP: config.nodeIP,
      lookup: apiRefLookup(this.client),
      runtimeHandler: apiRuntimeHandler(this.client),
      pullSecrets: apiPullSecretLookup(this.client),
      registryAuth: (image: string) => { const a = registryAuthFor(image); return a ? [a] : []; },
      mirrorRewrite: mirrorRewriter(this.cri),
      imagesImported: (image) => this.images?.bringing(image) ?? Promise.resolve(),
      imagesWanted: (image) => this.images?.ahead(image),
      services: () => (this.services?.services.isSynced ? this.services.services.list() : undefined),
      backoffBaseMs: (config.backoffBaseSeconds ?? 10) * 1000,
      backoffMaxMs: (config.backoffMaxSeconds ?? 300) * 1000,
      syncIntervalMs: opts.podSyncIntervalMs,
      metrics: this.metrics,
      ...this.dnsSettings(),
    });
    this.stats = new StatsCollector(this.cri, {
      nodeName: config.nodeName, cgroupParent: config.cgroupParent || undefined, fsPath: config.stateDir, startTime: this.startTime,
    });
  }

  get nodeName(): string { return this.config.nodeName; }

  private statsIntervalMs(): number { return this.opts.statsIntervalMs ?? 10_000; }

  /**
   * GET /stats/summary: a sample taken when asked (stats/on-demand.ts), as cAdvisor's housekeeping would have taken it;
   * no timer, so a node nobody scrapes is not woken. Asks within half the stats interval share the last sample.
   */
  statsSummary(): Promise<StatsSummary> {
    this.statsOnDemand ??= new OnDemandStats({ take: () => this.stats.summary(), shareMs: this.statsIntervalMs() / 2, signal: this.abort.signal });
    return this.statsOnDemand.get();
  }

  /** Resolves when the node is registered, pods are being synced and the pod network is configured (or on stop). */
  async start(): Promise<void> {
    const c = this.config;
    for (const d of [c.stateDir, c.logDir]) mkdirSync(d, { recursive: true });
    // The node's kernel settings need no runtime: set while containerd starts (bootstrap starts both at once).
    const sysctls = applyNodeSysctls(this.exec).catch((err: unknown) => this.log(`sysctls: ${message(err)}`));
    await this.waitForRuntime();
    // The images go in while the node registers and its pod network is set up; status reports (Ready) and pod syncs wait
    // for the sandbox image, the first; a pod whose image is not there yet waits for the tarball named after it (moved ahead).
    const images = this.importImages();
    this.images = images;
    if (this.abort.signal.aborted) return;
    const tracing = c.tracing === false ? undefined : startTracing('flotilla-agent');
    if (tracing) this.own(() => tracing.stop());
    const cadvisor = new CadvisorSource({
      cri: this.cri, cgroupParent: c.cgroupParent || undefined, fsPath: c.stateDir, sinceMs: Date.parse(this.startTime) || Date.now(),
    });
    const server = await this.retrying(`serving on ${c.listenAddress}`, () => startAgentServer({
      listen: c.listenAddress, token: c.serverToken, cri: this.cri, pods: this.pods, logDir: c.logDir, stats: () => this.statsSummary(),
      metrics: this.metrics.registry, probeMetrics: this.metrics.probesRegistry, onImagesChanged: () => void this.reporter?.kick(),
      traces: (uid) => tracing?.buffer.spans(uid) ?? [],
      configz: () => kubeletConfigz({ config: c, port: this.serverPort, heartbeatMs: this.opts.statusHeartbeatMs }),
      cadvisor: () => cadvisor.scrape(),
      secure: c.servingCertPem && c.servingKeyPem ? {
        host: c.nodeIP, certPem: c.servingCertPem, keyPem: c.servingKeyPem, clientCaPem: c.caCertPem, nodeName: c.nodeName,
        auth: new KubeletAuth({ api: this.client }), log: this.log,
      } : undefined,
    }));
    this.serverPort = server.port;
    this.own(() => server.close());
    this.log(`serving logs, exec, port-forward and stats on port ${server.port}${server.securePort ? `, and as the kubelet's secure port on ${c.nodeIP}` : ''}`);
    await sysctls;
    const node = await this.register();
    this.log(`registered node ${c.nodeName}`);

    const lease = startLeaseRenewer({
      client: this.client, nodeName: c.nodeName, nodeUid: node.metadata?.uid, periodMs: (c.leaseRenewSeconds ?? 10) * 1000,
      onError: (err) => this.log(`lease: ${message(err)}`),
    });
    this.own(() => lease.stop());
    // The kubelet's own node events: on the node as the kubelet references it (uid = the node's name).
    const nodeEvents = new EventRecorder(this.client, { component: 'kubelet', host: c.nodeName }, { onError: (err) => this.log(`event: ${message(err)}`) });
    this.own(() => nodeEvents.stop());
    const nodeRef = { apiVersion: 'v1', kind: 'Node', name: c.nodeName, uid: c.nodeName };
    nodeEvents.event(nodeRef, 'Normal', 'Starting', 'Starting kubelet.');

    this.services = new ServiceSync({
      client: this.client, exec: this.exec, nodeName: c.nodeName, nodeIP: c.nodeIP, clusterCIDR: c.clusterCIDR,
      log: this.log, minSyncIntervalMs: this.opts.proxyMinSyncIntervalMs, backoffMs: this.opts.reconnectBackoffMs,
      onPodCIDR: (cidr) => void this.podNetwork(cidr),
      onProxySync: (r) => this.metrics.proxySync(r.durationMs / 1000, r.rulesByTable),
    });
    const services = this.services;
    services.start();
    this.own(() => services.stop());
    // The pods' watch taken again after errors: the API server is back (a restarted control plane): heartbeat now.
    const allPods = agentInformer<Pod>(this.client, R.pods, {
      backoffMs: this.opts.reconnectBackoffMs, onError: (e) => this.log(`pods watch: ${message(e)}`), onRecover: () => lease.renewNow(),
    });
    this.startClusterDns(services, allPods);
    this.startNetworkPolicies(allPods);
    this.own(allPods.start());
    this.own(startLocalVolumes({ client: this.client, nodeName: c.nodeName, log: this.log, backoffMs: this.opts.reconnectBackoffMs }));
    this.startApiServerForwarder();

    await images.sandbox;
    if (this.abort.signal.aborted) return;
    this.reporter = new NodeStatusReporter({
      client: this.client, source: this.statusSource(), periodMs: (c.statusReportSeconds ?? 10) * 1000,
      heartbeatMs: this.opts.statusHeartbeatMs, initialConditions: node.status?.conditions, watched: () => this.services?.watchedNode(),
      onError: (err) => this.log(`node status: ${message(err)}`),
      recordEvent: (e) => nodeEvents.event(nodeRef, e.type, e.reason, e.message),
    });
    this.own(this.reporter.start());
    // status.images again as soon as the rest are in, not at the next status check.
    void images.all.then(() => this.reporter?.kick());

    // Pods sync right away (running ones are adopted; hostNetwork ones start); the rest wait for the pod network.
    const podSync = new PodSync({
      client: this.client, pods: this.pods, nodeName: c.nodeName, log: this.log, backoffMs: this.opts.reconnectBackoffMs,
      networkReady: () => this.networkReady, allocatable: () => node.status?.allocatable,
    });
    this.podSync = podSync;
    this.own(() => podSync.stop());
    await podSync.start();
    if (this.abort.signal.aborted) return;
    this.log(`syncing pods of ${c.nodeName}`);
    await this.waitForNetwork();
  }

  /** Registers something to undo on stop; after stop (a stop during start) it is undone at once. */
  private own(d: () => void | Promise<void>): void {
    if (this.abort.signal.aborted) void Promise.resolve().then(d).catch((err: unknown) => this.log(`stop: ${message(err)}`));
    else this.disposers.push(d);
  }

  /** Stops every loop and closes connections; pods keep running, service rules and routes stay, NetworkPolicy rules go. */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const w of this.networkWaiters.splice(0)) w();
    for (const d of this.disposers.splice(0).reverse()) {
      try { await d(); } catch (err) { this.log(`stop: ${message(err)}`); }
    }
    await this.pods.close();
    this.objects.stop();
    this.cri.close();
    this.client.close();
  }

  /** Waits for in-flight pod work (terminations, status writes); for tests and shutdown. */
  async idle(): Promise<void> {
    await this.podSync?.idle();
  }

  /** The pods' DNS settings (the kubelet's clusterDNS, clusterDomain, resolvConf) and their pods directory (managed /etc/hosts). */
  private dnsSettings(): { clusterDNS: string[]; clusterDomain: string; resolvConf: string; podsDir: string } {
    const c = this.config;
    return {
      clusterDNS: c.clusterDNS ?? [DEFAULT_CLUSTER_DNS], clusterDomain: c.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN,
      resolvConf: c.resolvConf ?? DEFAULT_RESOLV_CONF, podsDir: join(c.stateDir, 'pods'),
    };
  }

  /** Answers for the cluster DNS address on this node (dns/), binding in the background until it can. */
  private startClusterDns(services: ServiceSync, pods: Informer<Pod>): void {
    const s = this.dnsSettings();
    const dnsIP = s.clusterDNS[0];
    if (!dnsIP) return;
    const dns = new ClusterDns({
      client: this.client, exec: this.exec, log: this.log, dnsIP, domain: s.clusterDomain, resolvConf: s.resolvConf,
      hostAddress: this.config.hostAddress, services: services.services, slices: services.slices, pods, backoffMs: this.opts.reconnectBackoffMs,
    });
    dns.start();
    this.own(() => dns.stop());
    this.retrying(`cluster DNS on ${dnsIP}:53`, () => dns.listen()).catch(() => undefined);
  }

  /** Enforces NetworkPolicies for this node's pods (netpol/); its chains and jumps are removed on stop. */
  private startNetworkPolicies(pods: Informer<Pod>): void {
    const netpol = new NetpolSync({
      client: this.client, exec: this.exec, nodeName: this.config.nodeName, pods, log: this.log,
      minSyncIntervalMs: this.opts.netpolMinSyncIntervalMs, backoffMs: this.opts.reconnectBackoffMs,
    });
    netpol.start();
    this.own(() => netpol.stop());
  }

  /** Forwards <nodeIP>:6443 to the API tunnel: the endpoint of the `kubernetes` Service on this node. */
  private startApiServerForwarder(): void {
    const forwarder = new ApiServerForwarder({ nodeIP: this.config.nodeIP, apiServer: this.config.apiServer, log: this.log });
    this.own(() => forwarder.stop());
    this.retrying(`API server forwarder on ${this.config.nodeIP}`, () => forwarder.listen()).catch(() => undefined);
  }

  private statusSource(): NodeStatusSource {
    const c = this.config;
    return {
      nodeName: c.nodeName, nodeIP: c.nodeIP, port: this.serverPort || portOf(c.listenAddress), fsPath: c.stateDir,
      cgroupParent: c.cgroupParent || undefined, cri: this.cri, networkReady: () => this.networkReady,
    };
  }

  private async retrying<T>(what: string, fn: () => Promise<T>, firstDelayMs?: number): Promise<T> {
    const base = firstDelayMs ?? this.opts.reconnectBackoffMs ?? 200;
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (this.abort.signal.aborted) throw new Error('agent stopped');
        if (attempt === 0 || attempt % 10 === 0) this.log(`${what}: ${message(err)} (retrying)`);
        await pause(Math.min(10_000, base * 2 ** Math.min(attempt, 10)), this.abort.signal);
      }
    }
  }

  private async waitForRuntime(): Promise<void> {
    // Bootstrap starts containerd beside the agent: ask again soon (50 ms, doubling) rather than at the reconnect back-off's 200 ms.
    const v = await this.retrying('waiting for containerd', () => this.cri.version(2000), 50);
    this.log(`container runtime ${v.runtime_name} ${v.runtime_version}`);
  }

  /** Starts importing the node's image tarballs (the sandbox image's first). */
  private importImages(): NodeImages {
    const o = {
      cri: this.cri, socket: this.config.containerdSocket, stateDir: this.config.stateDir, ctrBin: this.opts.ctrBin, log: this.log,
      signal: this.abort.signal, restAfterMs: this.opts.imagesRestAfterMs,
    };
    return importNodeImages(o, this.config.imageTarballs, (what, fn) => this.retrying(what, fn));
  }

  private async register(): Promise<Node> {
    const c = this.config;
    return this.retrying('registering node', async () => {
      const status = await buildNodeStatus(this.statusSource(), undefined, rfc3339());
      return registerNode(this.client, c.nodeName, nodeLabels(c.nodeName, c.nodeLabels), status);
    });
  }

  private async podNetwork(cidr: string): Promise<void> {
    const c = this.config;
    try {
      await this.retrying(`pod network for ${cidr}`, () => setUpPodNetwork({
        cniConfDir: c.cniConfDir, cniDataDir: c.cniDataDir, bridgeName: c.bridgeName, clusterCIDR: c.clusterCIDR, exec: this.exec,
      }, cidr));
    } catch {
      return; // stopped
    }
    this.podCIDR = cidr;
    this.log(`pod network ${cidr} configured`);
    if (!this.networkReady) {
      this.networkReady = true;
      for (const w of this.networkWaiters.splice(0)) w();
      this.podSync?.networkReady();
      void this.reporter?.kick();
    }
  }

  private waitForNetwork(): Promise<void> {
    if (this.networkReady || this.abort.signal.aborted) return Promise.resolve();
    this.log('waiting for the node\'s podCIDR');
    return new Promise((resolve) => this.networkWaiters.push(resolve));
  }

  get podNetworkCIDR(): string { return this.podCIDR; }
}
