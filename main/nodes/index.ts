// The node manager: providers + machine controller + tunnels, started by the core.
// startNodeManager(core, opts) → a NodeManager whose dialAgent is the NodeDialer the
// streaming/log proxy uses.
import type { Duplex } from 'node:stream';
import type { KObject, Machine, MachineProvider } from '../api/types';
import type { ApiClient } from '../client/types';
import type { Availability, Provider } from './types';
import { createProviders, defaultProvider, type ProviderOptions } from './providers';
import { MachineController } from './machine-controller';
import { defaultAgentBundle, imageTarballs } from './artifacts';
import { R } from '../client/refs';
import { createMachine } from './machine-names';
import type { NodeDialer } from './tunnels';
import { SandboxProvider } from './providers/sandbox/provider';
import { QemuProvider } from './providers/qemu/provider';
import { NodeFaults } from './node-faults';
import { startHostRoutes, type HostRoutes } from './host-routes';
import { SERVICE_CIDR } from './node-paths';
import { LOAD_BALANCER_POOL } from '../api/load-balancer';
import type { RegistrySettings } from './registry/registry-settings';
import type { BuiltinRegistry } from './registry/builtin';
import { nodeRegistryFiles } from './registry/host-mapping';
import type { ServingSigner } from '../protocol/kubelet-serving';

export type { NodeDialer } from './tunnels';

/** What the node manager needs of the core (main/core.ts's Core satisfies it). */
export interface NodeManagerCore {
  dataDir: string;
  client: ApiClient;
  caCertPem: string;
  api: { port: number };
  auth: { nodeToken(name: string): string };
  /** Signs nodes' kubelet serving certificates with the cluster CA. */
  kubeletServing?: ServingSigner;
  own(c: { name: string; stop(): Promise<void> | void }): void;
  /** The pods' network (default 10.244.0.0/16). */
  clusterCIDR?: string;
}

export interface NodeManagerOptions {
  /** Make sure this many machines of `provider` exist. */
  nodes?: number;
  provider?: MachineProvider;
  sandbox?: ProviderOptions['sandbox'];
  /** false: the nodes' agents record no journey spans. */
  tracing?: boolean;
  limactl?: string;
  multipass?: string;
  /** The QEMU provider's image cache and binary. */
  qemu?: ProviderOptions['qemu'];
  agentBundle?: string;
  readyTimeoutMs?: number;
  /** The agents' Lease renewal period (the core sets a quarter of a short node-monitor grace period, as the kubelet's 10 s is of 40 s). */
  leaseRenewSeconds?: number;
  log?: (line: string) => void;
  /**
   * Route the service CIDR, the load balancer pool and the podCIDRs from the host to this data dir's sandbox nodes
   * (host-routes.ts). One cluster per host can hold them: `flotilla serve` and the app turn it on; tests only when they
   * test it.
   */
  hostRoutes?: boolean;
  /** Registry settings for every node (containerd's certs.d, credentials), re-applied when they change; the built-in registry. */
  registries?: { settings: RegistrySettings; builtin?: BuiltinRegistry };
}

export interface NodeManager {
  providers: Map<MachineProvider, Provider>;
  controller: MachineController;
  dialAgent: NodeDialer;
  /** Bearer token for the node's agent server. */
  agentToken(node: string): string;
  availability(): Promise<Array<{ provider: MachineProvider } & Availability>>;
  ensureNodes(count: number, provider?: MachineProvider): Promise<string[]>;
  /** Present when started with hostRoutes. */
  hostRoutes?: HostRoutes;
  /** One-click failures on sandbox nodes and their pods, and the heal. */
  faults: NodeFaults;
  stop(): void;
}

export function startNodeManager(core: NodeManagerCore, opts: NodeManagerOptions = {}): NodeManager {
  const providers = createProviders({
    dataDir: core.dataDir, sandbox: opts.sandbox, limactl: opts.limactl, multipass: opts.multipass, qemu: opts.qemu, clusterCIDR: core.clusterCIDR,
  });
  const registryFiles = opts.registries && nodeRegistryFiles(providers, opts.registries, opts.log);
  const controller = new MachineController({
    client: core.client, dataDir: core.dataDir, providers, apiPort: core.api.port, caCertPem: core.caCertPem,
    nodeToken: (n) => core.auth.nodeToken(n), kubeletServing: core.kubeletServing, tracing: opts.tracing,
    agentBundle: () => opts.agentBundle ?? defaultAgentBundle(),
    imageTarballs: () => imageTarballs(core.dataDir),
    readyTimeoutMs: opts.readyTimeoutMs, log: opts.log, registryFiles, leaseRenewSeconds: opts.leaseRenewSeconds, clusterCIDR: core.clusterCIDR,
  });
  if (opts.registries) {
    const off = opts.registries.settings.onChange(() => void controller.syncRegistries());
    core.own({ name: 'registry-settings-sync', stop: off });
  }
  const stopController = controller.start();
  const dialAgent = async (node: string): Promise<Duplex> => {
    const c = controller.connection(node);
    if (!c) throw new Error(`node ${node} is not connected`);
    return c.dialAgent();
  };
  const agentToken = (node: string): string => controller.serverToken(node);
  const mgr: NodeManager = {
    providers, controller, dialAgent, agentToken,
    availability: async () => Promise.all([...providers.values()].map(async (p) => ({ provider: p.name, ...(await p.available()) }))),
    ensureNodes: (count, provider) => ensureMachines(core.client, count, provider ?? opts.provider ?? defaultProvider()),
    stop: stopController,
    faults: new NodeFaults({
      dataDir: core.dataDir, client: core.client, controller, sandbox: sandboxOf(providers),
      agents: { dial: dialAgent, serverToken: agentToken }, log: opts.log, clusterCIDR: core.clusterCIDR,
    }),
  };
  core.own({ name: 'node-manager', stop: () => mgr.stop() });
  core.own({ name: 'node-faults', stop: () => mgr.faults.cleanup() });
  if (opts.hostRoutes) {
    const sandbox = providers.get('sandbox');
    const qemu = providers.get('qemu');
    const routes = startHostRoutes({
      client: core.client, log: opts.log ?? ((l) => console.error(l)), serviceCIDR: SERVICE_CIDR, loadBalancerPool: LOAD_BALANCER_POOL,
      routable: (name, ip) => (sandbox instanceof SandboxProvider && sandbox.state(name)?.ip === ip) || (qemu instanceof QemuProvider && qemu.owns(name, ip)),
    });
    mgr.hostRoutes = routes;
    core.own({ name: 'host-routes', stop: () => routes.stop() });
  }
  if (opts.nodes) {
    void mgr.ensureNodes(opts.nodes, opts.provider).catch((e: unknown) => opts.log?.(`nodes: ${e instanceof Error ? e.message : String(e)}`));
  }
  return mgr;
}

function sandboxOf(providers: Map<MachineProvider, Provider>): SandboxProvider | undefined {
  const p = providers.get('sandbox');
  return p instanceof SandboxProvider ? p : undefined;
}

/** Creates machines (node-N, lowest free N first) until `count` machines of `provider` exist (not being deleted). */
export async function ensureMachines(client: ApiClient, count: number, provider: MachineProvider): Promise<string[]> {
  const list = await client.list<Machine & KObject>(R.machines);
  const live = list.items.filter((m) => (m.spec?.provider ?? 'sandbox') === provider && !m.metadata?.deletionTimestamp);
  const created: string[] = [];
  while (live.length + created.length < count) {
    const m = await createMachine(client, { provider, cpus: 2, memoryMiB: 2048, diskGiB: 10, running: true });
    created.push(m.metadata?.name ?? '');
  }
  return created;
}
