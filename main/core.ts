// The one wiring file: builds the store, the API server, and everything that runs on the API
// (controllers, scheduler, nodes, the UI bridge). The Electron entry and `flotilla serve` both
// call startCore().
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from './store/sqlite-store';
import type { SqliteStore } from './store/sqlite-store';
import { startCompactor, type Compactor } from './store/compactor';
import { DEFAULT_EVENT_TTL_MS, startEventExpirer } from './store/event-ttl';
import { DEFAULT_COMPACTION_INTERVAL_MS } from './api/compaction';
import { readCompactionSetting, writeCompactionSetting } from './store/compaction-setting';
import { settleClusterCIDR } from './store/cluster-network-setting';
import { ensurePki, kubeletServingSigner } from './apiserver/pki';
import type { ServingSigner } from './protocol/kubelet-serving';
import { Aggregator } from './apiserver/aggregator/aggregator';
import { ensureFlowControlConfiguration } from './apiserver/flowcontrol/ensure';
import { startFlowControlConfig } from './apiserver/flowcontrol/config-consumer';
import { loadCertificateSigner } from './apiserver/csr-signer';
import { TokenAuthenticator } from './apiserver/auth';
import { Authorizer } from './apiserver/authz/authorizer';
import { TokenIssuer } from './apiserver/serviceaccount/issuer';
import { ServiceAccountAuthenticator } from './apiserver/serviceaccount/authenticator';
import { bootstrapPolicy } from './apiserver/authz/bootstrap';
import { serveDefinedResources } from './apiserver/registry/custom-resources';
import { Registry } from './apiserver/registry/registry';
import type { ApiContext } from './apiserver/context';
import { startApiServer } from './apiserver/server';
import type { FlowControlOptions } from './apiserver/flowcontrol/filter';
import type { ApiServer } from './apiserver/server';
import { writeKubeconfig } from './apiserver/kubeconfig';
import { LocalClient } from './client/local';
import { HttpClient } from './client/http';
import { startControlLoops } from './controllers';
import type { ControlLoopOptions } from './controllers';
import { startScheduler } from './scheduler';
import { SharedInformers } from './client/cache/shared-informers';
import { startNodeManager } from './nodes';
import type { NodeManager, NodeManagerOptions } from './nodes';
import { attachPodStreams } from './apiserver/streams';
import { NodeMetricsStore, statsFetcher } from './nodes/metrics';
import { resourceFor } from './api/resources';
import type { Machine } from './api/types';
import type { LoadBalancerMode } from './api/load-balancer';
import { nodeLifecycleSettings, type NodeLifecycleSettings } from './api/node-lifecycle-settings';
import { startIngressProxy } from './ingress';
import { startLocalhostLoadBalancer } from './ingress/localhost-lb';
import { serviceDialer } from './ingress/service-dialer';
import { agentDialer } from './tunnel/pod-tunnel';
import { PortForwards } from './tunnel/port-forwards';
import { startBuiltinRegistry, type BuiltinRegistry } from './nodes/registry/builtin';
import { RegistrySettings } from './nodes/registry/registry-settings';
import { createControlPlaneMetrics } from './apiserver/metrics/registry';
import { schedulerCollectors, storeCollectors, workQueueMetrics } from './apiserver/metrics/components';
import type { StoreFigures } from './apiserver/metrics/components';
import { storedObjectCounts } from './apiserver/metrics/handler';
import { startTracing } from './protocol/tracing/tracing';
import { otlpProcessor } from './protocol/tracing/otlp';
import { collectPodSpans, type CollectedSpans } from './protocol/tracing/collect';

export interface CoreOptions {
  dataDir: string;
  apiPort?: number;
  /** Revisions of history the store keeps (for watch resume and time travel); given, it replaces the interval compactor. */
  compactWindow?: number;
  /** Time travel: kube-apiserver's compaction interval in ms (0: off); unset: the UI's saved setting, else 5 minutes. */
  compactionIntervalMs?: number;
  /** How long an Event lives after its last write (kube-apiserver's --event-ttl), ms; default 1 h. */
  eventTTLMs?: number;
  log?: (line: string) => void;
  /** The scheduler (unless `scheduler: false`) and the controllers (main/controllers); false starts none. */
  controllers?: (ControlLoopOptions & { scheduler?: boolean }) | false;
  /** The node manager (machine controller, providers, SSH tunnels); none unless given. */
  nodes?: NodeManagerOptions;
  /** The built-in ingress proxy on the host (needs `nodes`: it reaches pods through the agents); a port left out is not listened on, 0 is any free one. */
  ingress?: {
    httpPort?: number; httpsPort?: number; host?: string;
    /** A listener that cannot start (its port taken) is logged and the core runs on without the proxy (the desktop app); else the start fails. */
    optional?: boolean;
  };
  /**
   * How LoadBalancer Services are reached from the host: 'pool' (default) gives each an address of the routed pool
   * (controllers/service-lb.ts; the host reaches it with host routes, sandbox nodes only); 'localhost' listens on
   * 127.0.0.1:<port> for each of their ports and forwards through the agents (ingress/localhost-lb.ts; needs `nodes`).
   */
  loadBalancer?: LoadBalancerMode;
  /**
   * Image registries: the built-in registry on 127.0.0.1:<port> (0 or absent: none; nodes pull `localhost:<port>/…` from
   * it), `insecure` plain-HTTP registries, and <data-dir>/registries.yaml (watched), applied to every node.
   */
  registry?: {
    port?: number; insecure?: string[];
    /** The built-in registry failing to start (its port taken) is logged and the core runs on without it (the desktop app); else the start fails. */
    optional?: boolean;
  };
  /** Node-lifecycle timings (grace period, default toleration seconds); Kubernetes' 40 s / 300 s when left out. */
  nodeLifecycle?: Partial<NodeLifecycleSettings>;
  /** Prometheus metrics of the control plane at the API server's /metrics (default on; off: nothing is counted, /metrics is 404). */
  metrics?: boolean;
  /** Pods' journeys as OpenTelemetry spans (default on; `enabled: false` records none, here and on the nodes), exported over OTLP/HTTP to an endpoint given. */
  tracing?: { enabled?: boolean; otlpEndpoint?: string };
  /** API Priority and Fairness' seats and queue wait limit (kube-apiserver's defaults: 600 seats, 15 s). */
  flowControl?: FlowControlOptions;
  /** The pods' network (kube-controller-manager's --cluster-cidr; default 10.244.0.0/16), kept with the data dir: another one on a later start is refused. */
  clusterCIDR?: string;
}

/** Something the core starts and must stop: controllers, the scheduler, node managers, servers. */
export interface Component {
  name: string;
  stop(): Promise<void> | void;
}

export interface Core {
  dataDir: string;
  store: SqliteStore;
  registry: Registry;
  ctx: ApiContext;
  api: ApiServer;
  auth: TokenAuthenticator;
  client: LocalClient;
  kubeconfigPath: string;
  caCertPem: string;
  /** Signs nodes' kubelet serving certificates with the cluster CA. */
  kubeletServing: ServingSigner;
  /** Machines and node tunnels (dialAgent for logs/exec); present when started with `nodes`. */
  nodes?: NodeManager;
  /** The UI's port forwards from 127.0.0.1 to Services and pods (present when started with `nodes`); they end with the core. */
  forwards?: PortForwards;
  /** The ports the ingress proxy listens on (0: off); present when started with `ingress`. */
  ingress?: { httpPort: number; httpsPort: number };
  /** The built-in image registry (present when started with `registry.port`). */
  imageRegistry?: { port: number; url: string };
  /** registries.yaml and --insecure-registry in force (present when started with `registry`). */
  registrySettings?: RegistrySettings;
  /** Time travel: the store's compactor (absent when started with `compactWindow`). */
  compactor?: Compactor;
  /** The node-lifecycle timings in force. */
  nodeLifecycle: NodeLifecycleSettings;
  /** The pods' network in force (the data dir's). */
  clusterCIDR: string;
  /** A pod's journey spans, from the control plane and every running node's agent (absent: tracing is off). */
  journeySpans?: (uid: string) => Promise<CollectedSpans>;
  /** Registers something to stop, in reverse order, when the core stops. */
  own(c: Component): void;
  stop(): Promise<void>;
}

export async function startCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const isNew = !fs.existsSync(path.join(opts.dataDir, 'state.db'));
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const clusterCIDR = settleClusterCIDR(opts.dataDir, opts.clusterCIDR, isNew);
  const pki = await ensurePki(path.join(opts.dataDir, 'pki'));
  const auth = new TokenAuthenticator(opts.dataDir);
  const revisionWindow = opts.compactWindow !== undefined;
  const store = openStore({ path: path.join(opts.dataDir, 'state.db'), compactWindow: opts.compactWindow, autoCompactMs: revisionWindow ? undefined : 0 });
  // ServiceAccount admission needs the controllers that make every namespace's default ServiceAccount.
  const serviceAccountsRun = opts.controllers !== false && (opts.controllers?.controllers ?? ['serviceaccount']).includes('serviceaccount');
  const controllerGrace = opts.controllers ? opts.controllers.nodeMonitorGracePeriodSeconds : undefined;
  const nodeLifecycle = nodeLifecycleSettings({
    ...opts.nodeLifecycle, nodeMonitorGracePeriodSeconds: opts.nodeLifecycle?.nodeMonitorGracePeriodSeconds ?? controllerGrace,
  });
  const tolerationSeconds = { notReady: nodeLifecycle.notReadyTolerationSeconds, unreachable: nodeLifecycle.unreachableTolerationSeconds };
  const registry = new Registry(store, { admission: serviceAccountsRun, defaulting: { tolerationSeconds } });
  const stopCustomResources = serveDefinedResources(store, log);
  await registry.bootstrap();
  await bootstrapPolicy(registry);
  await ensureFlowControlConfiguration(registry);
  const issuer = await TokenIssuer.load(path.join(opts.dataDir, 'pki'));
  const serviceAccounts = new ServiceAccountAuthenticator(issuer, registry);
  auth.serviceAccounts = serviceAccounts;
  const instruments = opts.metrics === false ? undefined : createControlPlaneMetrics();
  const tracingOn = opts.tracing?.enabled !== false;
  const otlp = tracingOn && opts.tracing?.otlpEndpoint ? [otlpProcessor(opts.tracing.otlpEndpoint)] : [];
  const tracing = tracingOn ? startTracing('flotilla-control-plane', otlp) : undefined;
  const authorizer = new Authorizer(registry);
  registry.useAuthorizer(authorizer);
  const ctx: ApiContext = {
    // Bookmarks once a minute, as kube-apiserver's watch cache (defaultBookmarkFrequency): each is a write to every
    // watch of every node's agent, so more often only costs idle CPU.
    registry, store, watchTimeoutMs: 30 * 60_000, bookmarkIntervalMs: 60_000,
    auth: { authorizer, issuer, serviceAccounts, staticTokens: auth }, instruments,
  };
  const aggregator = new Aggregator({ store, frontProxy: pki.frontProxy, dialService: () => registry.webhooks.dialService });
  ctx.aggregator = aggregator;
  const dbFile = path.join(opts.dataDir, 'state.db');
  if (instruments) storeCollectors(instruments.registry, () => storeFigures(store, dbFile), () => storedObjectCounts(store));
  const api = await startApiServer({
    pki, auth, ctx, port: opts.apiPort ?? 6443, flowControl: opts.flowControl,
    onInternalError: (e, req) => log(`internal error on ${req.method} ${req.url}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
  });
  const kubeconfigPath = path.join(opts.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, { server: api.url, caCertPem: pki.caCertPem, token: auth.adminToken });
  const stopFlowControlConfig = startFlowControlConfig(store, registry, api.flowControl, log);
  const components: Component[] = [{ name: 'custom-resources', stop: stopCustomResources }, { name: 'aggregator', stop: () => aggregator.close() },
    { name: 'flowcontrol-config', stop: stopFlowControlConfig }, ...(tracing ? [{ name: 'tracing', stop: () => tracing.stop() }] : [])];
  const client = new LocalClient(ctx);
  // Resources aggregated API servers serve: through this server over HTTPS (as the admin), whose aggregator proxies them.
  const aggregatedClient = new HttpClient({ server: api.url, token: auth.adminToken, caCertPem: pki.caCertPem });
  client.aggregated = aggregatedClient;
  components.push({ name: 'aggregated-client', stop: () => aggregatedClient.close() });
  let stopped = false;
  const core: Core = {
    dataDir: opts.dataDir, store, registry, ctx, api, auth, client, kubeconfigPath, caCertPem: pki.caCertPem, nodeLifecycle, clusterCIDR,
    kubeletServing: kubeletServingSigner(path.join(opts.dataDir, 'pki')),
    own: (c) => components.push(c),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const c of components.reverse()) {
        try {
          await c.stop();
        } catch (e) {
          log(`stopping ${c.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      await api.close();
      store.close();
    },
  };
  if (!revisionWindow) {
    const interval = opts.compactionIntervalMs ?? readCompactionSetting(opts.dataDir) ?? DEFAULT_COMPACTION_INTERVAL_MS;
    const compactor = startCompactor(store, interval, { onChange: (ms) => writeCompactionSetting(opts.dataDir, ms) });
    core.compactor = compactor;
    core.own({ name: 'compactor', stop: () => compactor.stop() });
  }
  const expirer = startEventExpirer(store, opts.eventTTLMs ?? DEFAULT_EVENT_TTL_MS);
  core.own({ name: 'event-ttl', stop: () => expirer.stop() });
  if (tracing) core.journeySpans = (uid) => collectPodSpans(uid, tracing.buffer, undefined, []);
  // `kubectl get componentstatuses`: the scheduler and the controller manager are healthy while they run here.
  const running = new Set<string>();
  const runs = (name: string) => {
    running.add(name);
    core.own({ name: `${name} health`, stop: () => { running.delete(name); } });
  };
  ctx.components = () => ['scheduler', 'controller-manager'].map((name) => (running.has(name)
    ? { name, healthy: true, message: 'ok' }
    : { name, healthy: false, message: `the ${name} is not running in this control plane` }));
  if (opts.controllers !== false) {
    const { scheduler, ...loops } = opts.controllers ?? {};
    const informers = new SharedInformers(client, loops.log ?? log);
    if (scheduler !== false) {
      const s = startScheduler(client, { informers, log: loops.log ?? log });
      core.own({ name: 'scheduler', stop: () => s.stop() });
      runs('scheduler');
      if (instruments) schedulerCollectors(instruments.registry, () => s.stats());
    }
    const signCertificate = await loadCertificateSigner(path.join(opts.dataDir, 'pki'));
    const queueMetrics = instruments && workQueueMetrics(instruments.registry);
    const grace = nodeLifecycle.nodeMonitorGracePeriodSeconds;
    startControlLoops(core, {
      log, rootCaPem: pki.caCertPem, signCertificate, legacyTokenSigner: (ref) => issuer.issueLegacy(ref),
      loadBalancer: opts.loadBalancer, queueMetrics,
      checkAPIServiceDiscovery: (a) => aggregator.checkDiscovery(a),
      authenticationTrust: { clientCaPem: pki.caCertPem, requestHeaderCaPem: pki.frontProxy.caCertPem }, ...loops,
      clusterCIDR, nodeMonitorGracePeriodSeconds: grace,
    }, informers);
    runs('controller-manager');
  }
  const registries = opts.registry && await startRegistries(core, opts.registry, log);
  const metrics = new NodeMetricsStore();
  ctx.metrics = metrics;
  if (opts.nodes) {
    // The kubelet renews its Lease every quarter of the lease duration (10 s of 40 s, the default grace period): a shorter
    // grace period gets a shorter renewal, or nodes would go Unknown between renewals.
    const grace = nodeLifecycle.nodeMonitorGracePeriodSeconds;
    const leaseRenewSeconds = grace < 40 ? Math.max(0.25, grace / 4) : undefined;
    const nodes = startNodeManager(core, {
      log, leaseRenewSeconds, ...opts.nodes, ...(registries ? { registries } : {}), ...(tracingOn ? {} : { tracing: false }),
    });
    core.nodes = nodes;
    const agents = { dial: nodes.dialAgent, serverToken: (n: string) => nodes.agentToken(n) };
    if (tracing) core.journeySpans = (uid) => collectPodSpans(uid, tracing.buffer, agents, runningMachineNodes(registry));
    core.own({ name: 'pod-streams', stop: attachPodStreams(core, agents) });
    registry.webhooks.dialService = serviceDialer(client, agents);
    const forwards = new PortForwards(client, agentDialer(agents), { log });
    core.forwards = forwards;
    core.own({ name: 'port-forwards', stop: () => forwards.close() });
    // metrics.k8s.io: scrape each running machine's agent every 10 s, as metrics-server scrapes kubelets, but only while
    // metrics are read (kubectl top, the HPA's syncs, the UI's charts) and a minute after: an idle cluster is not woken.
    const stopScraping = metrics.scrapeOnDemand(() => runningMachineNodes(registry), statsFetcher(agents), {
      intervalMs: 10_000, idleAfterMs: 60_000, onError: (node, e) => log(`metrics from ${node}: ${e instanceof Error ? e.message : String(e)}`),
    });
    core.own({ name: 'metrics-scraper', stop: stopScraping });
    if (opts.loadBalancer === 'localhost') {
      const lb = startLocalhostLoadBalancer(client, agents, { log });
      core.own({ name: 'localhost-load-balancer', stop: () => lb.stop() });
    }
    if (opts.ingress) {
      const { optional, ...ports } = opts.ingress;
      const proxy = await startIngressProxy(client, agents, { ...ports, defaultCert: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem }, log })
        .catch(async (e: unknown) => {
          if (optional) {
            log(`ingress proxy not started: ${e instanceof Error ? e.message : String(e)}`);
            return undefined;
          }
          await core.stop();
          throw e;
        });
      if (proxy) {
        core.ingress = { httpPort: proxy.httpPort, httpsPort: proxy.httpsPort };
        core.own({ name: 'ingress-proxy', stop: () => proxy.stop() });
      }
    }
  }
  return core;
}

/** The built-in registry (unless port 0) and the registry settings; a registry that cannot start stops the core, unless optional. */
async function startRegistries(
  core: Core, o: NonNullable<CoreOptions['registry']>, log: (l: string) => void,
): Promise<{ settings: RegistrySettings; builtin?: BuiltinRegistry }> {
  let builtin: BuiltinRegistry | undefined;
  if (o.port) {
    builtin = await startBuiltinRegistry({ dataDir: core.dataDir, port: o.port, log }).catch(async (e: unknown) => {
      if (o.optional) {
        log(`built-in registry not started: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
      await core.stop();
      throw e;
    });
  }
  if (builtin) {
    const b = builtin;
    core.imageRegistry = { port: b.port, url: b.url };
    core.own({ name: 'builtin-registry', stop: () => b.stop() });
  }
  const settings = new RegistrySettings({ dataDir: core.dataDir, insecure: o.insecure, builtinPort: builtin?.port, log });
  core.registrySettings = settings;
  core.own({ name: 'registry-settings', stop: settings.watch() });
  return { settings, ...(builtin ? { builtin } : {}) };
}

/** The nodes of machines that are up: the ones whose agents can be scraped. */
function runningMachineNodes(registry: Registry): string[] {
  const machines = registry.list(resourceFor('flotilla.dev', 'v1alpha1', 'machines')!, undefined).items as Machine[];
  return machines.filter((m) => m.status?.phase === 'Running' && m.status.nodeName).map((m) => m.status!.nodeName!);
}

/** The store's figures for /metrics: revisions, writes, watchers, and the bytes of its database and WAL files. */
function storeFigures(store: SqliteStore, dbFile: string): StoreFigures {
  let sizeBytes = 0;
  for (const f of [dbFile, `${dbFile}-wal`]) {
    try {
      sizeBytes += fs.statSync(f).size;
    } catch {
      // no WAL right now
    }
  }
  const { writes, transactions } = store.stats;
  return { revision: store.revision, compactRevision: store.compactRevision, sizeBytes, writes, transactions, watchers: store.watcherCount,
    watchEvents: store.watchEventsDelivered, lastCompactionAt: store.lastCompactionAt ?? 0 };
}
